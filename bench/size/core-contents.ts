import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytes, fmt } from '../lib/stats.js';
import type { Table } from '../report/model.js';
import { bundle } from './measure.js';
import { CORE_ENTRY, SDK_DIST } from './our-shapes.js';
import { bytesByOrigin, decodeMappings, segmentAt, type SourceMap } from './source-map.js';

/**
 * What the core bundle is made of: each minified byte of the app's core
 * bundle traced through its source map to the SDK build, and through the
 * build's own map to the TypeScript file it came from; dependencies by package.
 */
export async function coreContents(): Promise<Table> {
  const { code, map } = await bundle(CORE_ENTRY, true);
  const built = JSON.parse(readFileSync(join(SDK_DIST, 'index.js.map'), 'utf8')) as SourceMap;
  const builtLines = decodeMappings(built.mappings);
  const origin = (source: string, line: number, column: number) => {
    if (source.endsWith('sdk/dist/index.js')) {
      const s = segmentAt(builtLines[line], column);
      return s?.[1] === undefined
        ? '@threadline/sdk (unmapped)'
        : built.sources[s[1]]!.replace(/^(\.\.\/)+/, '').replace(/^src\//, 'sdk/src/');
    }
    return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1] ?? source;
  };
  const parts = [...bytesByOrigin(code, map!, origin)].sort((a, b) => b[1] - a[1]);
  const total = Buffer.byteLength(code);
  return {
    title: `What the core bundle is made of (${bytes(total)} minified; traced through the source maps)`,
    headers: ['source', 'minified bytes', 'share'],
    rows: parts.map(([source, n]) => [source, fmt(n), `${fmt((100 * n) / total, 1)} %`]),
  };
}
