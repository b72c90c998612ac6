import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  date: string;
  load: string;
}

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/** The machine a run measured on: CPU model from /proc/cpuinfo, cores, memory, Node, date, load average. */
export function describeMachine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: os.cpus() is good enough
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    load: loadNow(),
  };
}

/** The 1/5/15-minute load averages now: other work on the machine skews every figure. */
export const loadAverage = loadNow;
