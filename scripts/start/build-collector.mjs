// Bundles the collector's Node entry (packages/collector/src/server.ts) into
// packages/collector/dist/server.js with esbuild, and beside it the CSV reader
// thread's entry (services/csv-reader-worker.ts, started by the collector
// from the same folder as csv-reader-worker.js), so `npm start` runs plain
// JavaScript instead of compiling TypeScript through tsx on every start. Its
// npm dependencies load from node_modules as usual (native better-sqlite3,
// pino), as does the built SDK the collector serves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * How a Node entry is bundled, from the repository `root`: the collector's
 * here, and the bench's other servers (bench/lib/compiled.ts), so a benchmark
 * compares code compiled the same way. The workspace's own TypeScript
 * (@threadline/protocol) is bundled in; the collector's npm dependencies stay
 * external.
 */
export function nodeBundle(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'packages/collector/package.json'), 'utf8'));
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: Object.keys(pkg.dependencies ?? {}).filter((name) => name !== '@threadline/protocol'),
    sourcemap: true,
    logLevel: 'warning',
  };
}

/** Builds the bundle; `root` is the repository root. */
export async function buildCollector(root) {
  await build({
    ...nodeBundle(root),
    entryPoints: {
      server: 'packages/collector/src/server.ts',
      'csv-reader-worker': 'packages/collector/src/services/csv-reader-worker.ts',
    },
    outdir: 'packages/collector/dist',
  });
}

if (fileURLToPath(import.meta.url) === process.argv[1]) await buildCollector(fileURLToPath(new URL('../..', import.meta.url)));
