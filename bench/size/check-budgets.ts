// `npm run size` (part of `npm test`): Threadline's import shapes against the
// budgets in budgets.json. Prints a table; exits 1 naming every entry over
// budget. Local only: no peers, no network. Run after `npm run build`.
// A budget can be overridden for one run: `npm run size -- --budget core=1000`.
import { readFileSync } from 'node:fs';
import { ourShapes } from './our-shapes.js';
import { sizesOf } from './measure.js';

/** `gzip` is the CI budget; `target`, where set, the goal the bench reports against. */
export type Budgets = Record<string, { label: string; gzip: number; target?: number; why?: string }>;

export const BUDGETS: Budgets = JSON.parse(readFileSync(new URL('./budgets.json', import.meta.url), 'utf8'));

/** budgets.json with `--budget id=bytes` overrides from `argv`. */
export function budgetsFrom(argv: string[]): Budgets {
  const budgets = structuredClone(BUDGETS);
  argv.forEach((arg, i) => {
    if (arg !== '--budget') return;
    const [id, bytes] = (argv[i + 1] ?? '').split('=');
    if (!id || !budgets[id] || !(Number(bytes) > 0))
      throw new Error(`--budget: expected <${Object.keys(budgets).join('|')}>=<bytes>, got "${argv[i + 1]}"`);
    budgets[id]!.gzip = Number(bytes);
  });
  return budgets;
}

export async function checkBudgets(argv: string[]): Promise<number> {
  const budgets = budgetsFrom(argv);
  const over: string[] = [];
  const rows = [['entry', 'min B', 'gzip B', 'brotli B', 'budget gzip B', '']];
  for (const shape of await ourShapes()) {
    const budget = budgets[shape.id]?.gzip;
    if (!shape.code) {
      rows.push([shape.id, '', '', '', budget ? String(budget) : '', shape.missing ?? '']);
      continue;
    }
    const s = sizesOf(shape.code);
    const ok = budget === undefined || s.gzip <= budget;
    if (!ok) over.push(`${shape.id} (${budgets[shape.id]!.label}): ${s.gzip} B gzip > ${budget} B`);
    rows.push([shape.id, String(s.min), String(s.gzip), String(s.brotli), budget ? String(budget) : '—', ok ? 'ok' : 'OVER BUDGET']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    console.log(
      r
        .map((cell, c) => (c && c < r.length - 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    );
  if (over.length) console.error(`\nsize: over budget:\n  ${over.join('\n  ')}`);
  return over.length ? 1 : 0;
}
