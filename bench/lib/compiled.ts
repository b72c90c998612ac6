import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from '../../scripts/start/build-collector.mjs';
import { buildChanged } from '../../scripts/start/builds.mjs';
import { ROOT } from './server-process.js';

/** Where the bench's own servers are bundled: under node_modules, so their packages resolve from there. */
const OUT = 'node_modules/.cache/threadline/bench';

/** How the measured servers run, for the report. */
export const SERVERS_NOTE =
  "Servers run compiled, each in its own Node process with `npm start`'s node flags: the collector is the bundle `npm start` builds and runs (`packages/collector/dist/server.js`, rebuilt first if its sources changed), and the bench's bare and baseline servers are bundled the same way (esbuild, bench/lib/compiled.ts). Until 2026-12-06 all three ran from TypeScript through tsx, which keeps every function's name with a helper call and cost the collector's identify about a tenth of its CPU; figures spliced from before then were taken that way. Only the ingest diagnosis and an import CPU profile run through tsx, so their profiles name source files.";

let built: Promise<void> | undefined;
const bundles = new Map<string, Promise<string>>();

/**
 * The collector `npm start` runs (packages/collector/dist/server.js), built
 * first if its sources changed, once a bench run (scripts/start/builds.mjs):
 * the bench measures what a user serves, not the TypeScript through tsx
 * (whose helpers, such as the name kept on every function, cost CPU).
 * @example const entry = await compiledCollector(); // 'packages/collector/dist/server.js'
 */
export async function compiledCollector(): Promise<string> {
  built ??= buildChanged();
  await built;
  return 'packages/collector/dist/server.js';
}

/**
 * A bench server's TypeScript `entry` (relative to the repository root)
 * bundled as the collector is (nodeBundle), its npm packages left to
 * node_modules, once a bench run: a ratio to it compares code, not how it
 * was compiled.
 * @example const entry = await compiled('bench/bare-server.ts'); // 'node_modules/.cache/threadline/bench/bare-server.mjs'
 */
export function compiled(entry: string): Promise<string> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    const out = join(OUT, `${basename(entry, '.ts')}.mjs`);
    bundle = build({ ...nodeBundle(ROOT), entryPoints: [entry], outfile: out }).then(() => out);
    bundles.set(entry, bundle);
  }
  return bundle;
}
