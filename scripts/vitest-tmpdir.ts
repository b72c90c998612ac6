import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's globalSetup: the run's temporary files (test stores, spawned
 * servers' databases, fixtures) all go under one directory, made before the
 * workers start. They and every process they spawn inherit TMPDIR, which
 * os.tmpdir() reads, and the directory is removed when the run ends, so a
 * test that leaves its files behind leaves nothing on the machine.
 */
// A default export: the form Vitest loads a globalSetup file in.
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'threadline-vitest-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
