import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { ROOT } from '../lib/server-process.js';

export interface Sizes {
  min: number;
  gzip: number;
  brotli: number;
}

/** Minified bytes as given, gzip level 9 and brotli quality 11 (node:zlib), as a CDN would serve them. */
export function sizesOf(code: string): Sizes {
  const buf = Buffer.from(code);
  return {
    min: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } })
      .length,
  };
}

export interface Bundle {
  /** The entry chunk: what the page loads up front. */
  code: string;
  /** Its source map, when asked for. */
  map?: { sources: string[]; mappings: string };
  /** Chunks loaded later through dynamic import(), if the package splits any off. */
  lazy: string[];
}

const ENTRY = '\0size-entry';

/**
 * What an app bundling `source` ships: Rollup with node-resolve (browser
 * fields) and commonjs, then terser with the settings of the SDK's own build.
 * Tree-shaking applies, so only what `source` uses is counted.
 * @example await bundle(`import { createClient } from '@threadline/sdk'; createClient({}).track('x')`)
 */
export async function bundle(source: string, sourcemap = false): Promise<Bundle> {
  const build = await rollup({
    input: ENTRY,
    onwarn: () => {}, // peers' own `this`-at-top-level and circular-import warnings are not ours to fix
    plugins: [
      { name: 'size-entry', resolveId: (id) => (id === ENTRY ? id : null), load: (id) => (id === ENTRY ? source : null) },
      resolve({ browser: true, rootDir: ROOT }),
      commonjs(),
    ],
  });
  const { output } = await build.generate({
    format: 'es',
    sourcemap,
    plugins: [terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } })],
  });
  await build.close();
  const chunks = output.filter((o) => o.type === 'chunk');
  const entry = chunks.find((c) => c.isEntry)!;
  return { code: entry.code, map: entry.map ?? undefined, lazy: chunks.filter((c) => !c.isEntry).map((c) => c.code) };
}
