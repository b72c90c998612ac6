import { readFileSync } from 'node:fs';

/** Resident memory of a process from /proc/<pid>/status, in bytes: now (VmRSS) and its peak so far (VmHWM); undefined where /proc is missing. */
export function processMemory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return undefined;
  }
}
