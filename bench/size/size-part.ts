import { bytes, fmt, ratio } from '../lib/stats.js';
import type { Part } from '../report/model.js';
import { yesNo } from '../report/model.js';
import { BUDGETS } from './check-budgets.js';
import { coreContents } from './core-contents.js';
import { sizesOf, type Sizes } from './measure.js';
import { ourShapes, CORE_ENTRY } from './our-shapes.js';
import { peerShapes, peerVersion, type PeerArtifact, type PeerName } from './peer-shapes.js';

const PEERS: PeerName[] = ['@segment/analytics-next', 'posthog-js'];
const pair = (s: Sizes | undefined) => (s ? `${bytes(s.gzip)} / ${bytes(s.brotli)}` : '—');
const pairRatio = (a: Sizes | undefined, b: Sizes | undefined) =>
  a && b ? `${fmt(ratio(a.gzip, b.gzip), 2)} / ${fmt(ratio(a.brotli, b.brotli), 2)}` : '—';

/** SDK size (issue 4 §1): Threadline's shapes against budgets, and as a ratio of the same shapes of the peers. */
export async function measureSizes(): Promise<Part> {
  const ours = (await ourShapes()).map((s) => ({ ...s, sizes: s.code ? sizesOf(s.code) : undefined }));
  const peers = (await peerShapes()).map((a) => ({ ...a, sizes: a.code ? sizesOf(a.code) : undefined }));
  const part: Part = { tables: [], missed: [], findings: [], headline: [], method: [] };

  part.tables.push({
    title: 'Threadline against its budgets',
    headers: ['shape', 'measured', 'min', 'gzip', 'brotli', 'CI budget (gzip)', 'target (gzip)', 'target met'],
    rows: ours.map((s) => {
      const budget = BUDGETS[s.id]?.gzip;
      // The issue's target where it differs from the CI budget (core), else the budget itself.
      const target = BUDGETS[s.id]?.target ?? budget;
      const met = s.sizes && target !== undefined ? s.sizes.gzip <= target : undefined;
      if (met === false)
        part.missed.push(`Size of ${s.id}: ${bytes(s.sizes!.gzip)} gzip, target ${bytes(target)} (CI budget ${bytes(budget)}).`);
      const cell = (n: number | undefined) => (n ? `≤ ${bytes(n)}` : '—');
      if (!s.sizes) return [s.id, s.what, s.missing ?? '—', '—', '—', cell(budget), cell(target), '—'];
      return [s.id, s.what, bytes(s.sizes.min), bytes(s.sizes.gzip), bytes(s.sizes.brotli), cell(budget), cell(target), yesNo(met)];
    }),
  });

  const primary = (peer: PeerName, shape: string) => peers.find((a) => a.peer === peer && a.shape === shape && a.primary);
  part.tables.push({
    title: 'Threadline as a ratio of its peers (gzip / brotli; below 1 is smaller)',
    headers: ['shape', 'Threadline', ...PEERS.flatMap((p) => [p, `ratio to ${p}`])],
    rows: ours
      .filter((s) => ['core', 'iife', 'snippet'].includes(s.id))
      .map((s) => [
        s.id,
        pair(s.sizes),
        ...PEERS.flatMap((p) => {
          const a = primary(p, s.id);
          return [a?.sizes ? pair(a.sizes) : 'not measured', pairRatio(s.sizes, a?.sizes)];
        }),
      ]),
  });

  part.tables.push({
    title: 'Every peer artifact measured',
    headers: ['package', 'compared with', 'measured', 'min', 'gzip', 'brotli', 'lazy chunks (gzip, loaded on demand)'],
    rows: peers.map((a: PeerArtifact & { sizes?: Sizes }) => [
      `${a.peer}@${peerVersion(a.peer)}`,
      `${a.shape}${a.primary ? '' : ' (extra)'}`,
      a.missing ? `${a.what}: ${a.missing}` : a.what,
      a.sizes ? bytes(a.sizes.min) : '—',
      a.sizes ? bytes(a.sizes.gzip) : '—',
      a.sizes ? bytes(a.sizes.brotli) : '—',
      a.lazy?.length ? `${a.lazy.length} chunks, ${bytes(a.lazy.reduce((n, c) => n + sizesOf(c).gzip, 0))}` : '—',
    ]),
  });

  const core = ours.find((s) => s.id === 'core')?.sizes;
  const iife = ours.find((s) => s.id === 'iife')?.sizes;
  const coreBudget = BUDGETS.core?.target ?? BUDGETS.core?.gzip;
  if (core && coreBudget && core.gzip > coreBudget) {
    const contents = await coreContents();
    part.tables.push(contents);
    const over = core.gzip - coreBudget;
    part.findings.push(
      `Why the core misses its target: it is ${bytes(over)} gzip over (${fmt((100 * over) / core.gzip)} % of its gzip size); at this bundle's compression (${fmt(core.min / core.gzip, 2)} minified bytes per gzip byte) that is about ${bytes(Math.round((over * core.min) / core.gzip))} of minified code to remove. The largest parts: ${contents.rows
        .slice(0, 4)
        .map((r) => `${r[0]} ${r[1]} B (${r[2]})`)
        .join(', ')}.`,
    );
  }
  part.headline.push(
    `Size: core ${bytes(core?.gzip)} gzip (${fmt(ratio(core?.gzip, primary('@segment/analytics-next', 'core')?.sizes?.gzip), 2)} of analytics-next, ${fmt(ratio(core?.gzip, primary('posthog-js', 'core')?.sizes?.gzip), 2)} of posthog-js); script tag ${bytes(iife?.gzip)} gzip; snippet ${bytes(ours.find((s) => s.id === 'snippet')?.sizes?.gzip)} gzip.`,
  );
  part.method.push(
    "Size: minified bytes, gzip (level 9) and brotli (quality 11) from node:zlib. ESM shapes are bundled from a one-file app with Rollup (node-resolve with browser fields, commonjs) and minified with terser using the SDK build's settings, so tree-shaking counts and every package is minified the same way; for a package that splits code off behind dynamic `import()`, the entry chunk is the figure and the lazy chunks are listed apart. Prebuilt scripts are measured as shipped. The snippet is measured with its placeholders for host and write key. Reproduce: `npm run build && BENCH_SECTIONS=size npm run bench`; the budgets alone: `npm run size` (budgets in bench/size/budgets.json).",
    "The core app, and the peers' apps make the same calls (page, track, identify) through their own npm API (bench/size/peer-shapes.ts):",
    `\`\`\`js\n${CORE_ENTRY}\n\`\`\``,
  );
  return part;
}
