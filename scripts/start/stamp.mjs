// Content stamps for `npm start`: a build runs again only when a hash of its
// inputs differs from the one recorded after its last successful run.
// Contents decide, not mtimes (a checkout or a copy touches mtimes without
// changing code); mtimes and sizes only let a restart skip reading them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const SKIP = /(^|\/)(node_modules|dist|\.cache)(\/|$)|\.test\.ts$|(^|\/)test-support\//;

function* files(root, path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const name of readdirSync(path).sort()) {
    const child = join(path, name);
    if (!SKIP.test(relative(root, child))) yield* files(root, child);
  }
}

/** The input files of a build, in a stable order. */
export const inputFiles = (root, inputs) => inputs.flatMap((input) => [...files(root, join(root, input))]);

/** Paths, sizes and mtimes: when none changed, the contents are not read at all. */
export function statInputs(root, list) {
  const hash = createHash('sha256');
  for (const file of list) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(root, file)}\0${size}\0${mtimeMs}\0`);
  }
  return hash.digest('hex');
}

/** One SHA-256 over the paths and contents of the input files. */
export function hashInputs(root, list) {
  const hash = createHash('sha256');
  for (const file of list) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** The stamps of the last successful builds, kept in node_modules so a fresh install builds again. */
export function stampStore(root) {
  const file = join(root, 'node_modules/.cache/threadline/build-stamps.json');
  let stamps = {};
  try {
    stamps = JSON.parse(readFileSync(file, 'utf8'));
  } catch {}
  return {
    get: (name) => stamps[name],
    set(name, value) {
      stamps[name] = value;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(stamps, null, 2)}\n`);
    },
  };
}

/**
 * What a start does about one build: `fresh` (same paths, sizes and mtimes:
 * nothing read), `restamp` (mtimes moved, contents the same: no build) or
 * `build`. `hash` is called only when the stat stamp differs.
 * @example decide({ built: true, last: { stat: 'a', hash: 'h' }, stat: 'a', hash: () => 'h' }) // → 'fresh'
 */
export function decide({ built, last, stat, hash }) {
  if (!built) return 'build';
  if (last?.stat === stat) return 'fresh';
  return last?.hash === hash() ? 'restamp' : 'build';
}
