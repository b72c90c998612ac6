// The builds `npm start` needs, each run only when its inputs changed since
// its last build: each has a content stamp (stamp.mjs), so a restart with
// unchanged sources builds nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decide, hashInputs, inputFiles, stampStore, statInputs } from './stamp.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rollup = join(root, 'node_modules/rollup/dist/bin/rollup');
const runRollup = (config) => {
  const result = spawnSync(process.execPath, [rollup, '-c', config, '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`rollup -c ${config} failed`);
};
const shared = ['package-lock.json', 'tsconfig.base.json', 'packages/protocol'];

/** In order: the examples bundle the built SDK, so they list its output among their inputs. */
const BUILDS = [
  {
    name: 'sdk',
    inputs: [...shared, 'packages/sdk/src', 'packages/sdk/package.json', 'packages/sdk/tsconfig.build.json', 'rollup.config.mjs'],
    outputs: ['packages/sdk/dist/index.js', 'packages/sdk/dist/threadline.js'],
    run: () => runRollup('rollup.config.mjs'),
  },
  {
    name: 'examples',
    inputs: [...shared, 'examples/spa/src', 'examples/spa/rollup.config.mjs', 'examples/spa/tsconfig.json', 'packages/sdk/src'],
    outputs: ['examples/spa/dist/app.js'],
    run: () => runRollup('examples/spa/rollup.config.mjs'),
  },
  {
    name: 'collector',
    inputs: [...shared, 'packages/collector/src', 'packages/collector/package.json', 'scripts/start'],
    outputs: ['packages/collector/dist/server.js', 'packages/collector/dist/csv-reader-worker.js'],
    // Imported only when needed: loading esbuild costs a restart that builds nothing.
    run: async () => (await import('./build-collector.mjs')).buildCollector(root),
  },
];

/**
 * Builds whatever changed since its last build (SDK, example, collector, in
 * that order) and stamps it; a build whose inputs did not change is skipped
 * after a stat of its files. `npm start` runs it before the compiled
 * collector, and so does the bench before it starts one.
 * @example await buildChanged(); await import('../../packages/collector/dist/server.js');
 */
export async function buildChanged() {
  const stamps = stampStore(root);
  for (const b of BUILDS) {
    const list = inputFiles(root, b.inputs);
    const stat = statInputs(root, list);
    let hash;
    const contentHash = () => (hash ??= hashInputs(root, list));
    const built = b.outputs.every((o) => existsSync(join(root, o)));
    const action = decide({ built, last: stamps.get(b.name), stat, hash: contentHash });
    if (action === 'fresh') continue;
    if (action === 'build') {
      const started = Date.now();
      console.log(`building ${b.name}: its sources changed since the last start`);
      await b.run();
      console.log(`built ${b.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    stamps.set(b.name, { stat, hash: contentHash() });
  }
}
