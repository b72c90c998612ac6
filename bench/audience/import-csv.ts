import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';

/** What an import of the generated file must report, row for row. */
export interface ExpectedReport {
  rows: number;
  created: number;
  matched: number;
  merged: number;
  conflicts: number;
  rejected: number;
}

const phone = (i: number) => `+1 415 ${200 + (Math.floor(i / 10_000) % 800)} ${String(i % 10_000).padStart(4, '0')}`;
const CITIES = ['Pune', '"Austin, TX"', 'Leeds', '"São Paulo, SP"', 'Lyon'];

/**
 * One row of a contact export as shops send them, in blocks of 20: 12 new
 * customers with email, mobile and traits (some quoted), then a repeat of an
 * earlier customer (matched), a walk-in with only a mobile and a newsletter
 * signup with only an email (created), a row carrying both of those (merged),
 * a new email with an earlier customer's mobile (merge refused: conflict),
 * and three bad rows (invalid email, block-listed email, then alternately a
 * ragged row and a row without any identifier).
 */
function row(i: number): string {
  const k = i % 20;
  if (k < 12) return `c${i}@bench.example,${phone(i)},CUST-${i},Name${i},${CITIES[i % CITIES.length]},${i % 3 ? 'free' : 'gold'}`;
  if (k === 12) return `c${i - 12}@bench.example,,,,,gold`;
  if (k === 13) return `,${phone(i)},,,,`;
  if (k === 14) return `e${i}@bench.example,,,,,`;
  if (k === 15) return `e${i - 1}@bench.example,${phone(i - 2)},,,,`;
  if (k === 16) return `x${i}@bench.example,${phone(i - 16)},,,,`;
  if (k === 17) return `not-an-email-${i},,,,,`;
  if (k === 18) return 'test@test.com,,,,,';
  return Math.floor(i / 20) % 2 ? `r${i}@bench.example,${phone(i)}` : ',,,Nobody,Leeds,free';
}

/** The report the generated file must produce (computed from the same pattern). */
export function expectedReport(rows: number): ExpectedReport {
  const r: ExpectedReport = { rows, created: 0, matched: 0, merged: 0, conflicts: 0, rejected: 0 };
  for (let i = 0; i < rows; i++) {
    const k = i % 20;
    // A row referring to an earlier one of its block needs that row in the file.
    const outcome =
      k < 12 || k === 13 || k === 14 ? 'created' : k === 12 ? 'matched' : k === 15 ? 'merged' : k === 16 ? 'conflicts' : 'rejected';
    r[outcome]++;
  }
  return r;
}

/** Writes a `rows`-row contact CSV (CRLF, a BOM, as spreadsheet exports have) to `path`; answers its size in bytes. */
export async function writeImportCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('\uFEFFemail,mobile,customer_id,first_name,city,plan\r\n');
  for (let i = 0; i < rows; i += 1000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(rows, i + 1000); j++) lines.push(row(j));
    if (!out.write(`${lines.join('\r\n')}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}
