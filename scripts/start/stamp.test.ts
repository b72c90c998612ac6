import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without declarations
import { decide, hashInputs, inputFiles, statInputs } from './stamp.mjs';

/** A small source tree: src/a.ts, src/a.test.ts, src/test-support/s.ts, src/dist/x.js. */
function tree() {
  const root = mkdtempSync(join(tmpdir(), 'threadline-stamp-'));
  for (const [path, text] of [
    ['src/a.ts', 'export const a = 1;'],
    ['src/a.test.ts', 'test'],
    ['src/test-support/s.ts', 'support'],
    ['src/dist/x.js', 'built'],
    ['package.json', '{}'],
  ]) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('npm start build stamps', () => {
  it('lists a build inputs without tests, test support or build outputs', () => {
    const root = tree();
    expect(inputFiles(root, ['src', 'package.json', 'missing']).map((f: string) => relative(root, f))).toEqual([
      'src/a.ts',
      'package.json',
    ]);
  });

  it('changes the content hash when a source changes, and only the stat stamp when only its mtime does', () => {
    const root = tree();
    const list = inputFiles(root, ['src']);
    const [stat, hash] = [statInputs(root, list), hashInputs(root, list)];
    utimesSync(join(root, 'src/a.ts'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(statInputs(root, list)).not.toBe(stat);
    expect(hashInputs(root, list)).toBe(hash);
    writeFileSync(join(root, 'src/a.ts'), 'export const a = 2;');
    expect(hashInputs(root, list)).not.toBe(hash);
    // Editing a test is no reason to rebuild.
    writeFileSync(join(root, 'src/a.test.ts'), 'changed');
    expect(hashInputs(root, inputFiles(root, ['src']))).toBe(hashInputs(root, list));
  });

  it('builds when outputs are missing or contents changed, restamps when only mtimes moved, else reads nothing', () => {
    const last = { stat: 's1', hash: 'h1' };
    const never = () => {
      throw new Error('contents read although the stat stamp matched');
    };
    expect(decide({ built: true, last, stat: 's1', hash: never })).toBe('fresh');
    expect(decide({ built: true, last, stat: 's2', hash: () => 'h1' })).toBe('restamp');
    expect(decide({ built: true, last, stat: 's2', hash: () => 'h2' })).toBe('build');
    expect(decide({ built: false, last, stat: 's1', hash: never })).toBe('build');
    expect(decide({ built: true, last: undefined, stat: 's1', hash: () => 'h1' })).toBe('build');
  });
});
