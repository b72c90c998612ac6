import type { ImportCounts } from '../repos/imports.js';
import type { TestApp } from './app.js';

/** The report both import routes answer (see services/import-report.ts). */
export interface ImportReport extends ImportCounts {
  id: string;
  status: string;
  rows: number;
  rejections: Array<{ row: number; field: string; reason: string }>;
  rejectionsNext: string | null;
}

/** POSTs a CSV body to /api/imports with the secret key; `body` may be a stream (sent without a declared length). */
export async function postCsv(t: TestApp, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const res = await t.app.request('/api/imports', {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.secretKey}`, 'Content-Type': 'text/csv', ...headers },
    body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as any };
}

/** Imports a CSV and fails unless it is accepted; answers the report. */
export async function importCsv(t: TestApp, csv: string): Promise<ImportReport> {
  const res = await postCsv(t, csv);
  if (res.status !== 201) throw new Error(`import answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** POSTs contacts to /api/contacts/bulk and fails unless they are accepted; answers the report. */
export async function importBulk(t: TestApp, contacts: unknown[]): Promise<ImportReport> {
  const res = await t.admin('/api/contacts/bulk', { method: 'POST', body: { contacts } });
  if (res.status !== 201) throw new Error(`bulk import answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A stream that hands out `pieces` one read at a time, as a chunked upload arrives. */
export function streamOf(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(encoder.encode(pieces[i++]));
      else controller.close();
    },
  });
}
