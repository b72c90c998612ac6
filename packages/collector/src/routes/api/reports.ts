import { Hono } from 'hono';
import { csvLine } from '../../domain/report/csv.js';
import { invalid } from '../../domain/errors.js';
import type { AppDeps, AppEnv } from '../../env.js';
import { profileReport, REPORT_COLUMNS, type ReportRow } from '../../services/reports.js';
import { serviceContext } from '../service-context.js';
import { statusParam } from './params.js';

const FORMATS = ['csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** CSV as RFC 4180 records; JSON as `{ "profiles": [ … ] }`, written a page at a time as well. */
const encoders: Record<Format, { type: string; head: string; page: (rows: ReportRow[], first: boolean) => string; tail: string }> = {
  csv: {
    type: 'text/csv; charset=utf-8',
    head: csvLine([...REPORT_COLUMNS]),
    page: (rows) => rows.map((r) => csvLine(REPORT_COLUMNS.map((c) => r[c]))).join(''),
    tail: '',
  },
  json: {
    type: 'application/json',
    head: '{"profiles":[',
    page: (rows, first) => (first ? '' : ',') + rows.map((r) => JSON.stringify(r)).join(','),
    tail: ']}',
  },
};

/** Reports (SPEC §5): one row per profile, streamed so its size is not bounded by memory. */
export function reportRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/profiles', async (c) => {
    const format = (c.req.query('format') ?? 'csv') as Format;
    if (!FORMATS.includes(format)) throw invalid('format', `must be one of ${FORMATS.join(', ')}`);
    const pages = await profileReport(serviceContext(c, deps), {
      segment: c.req.query('segment'),
      status: statusParam(c.req.query('status')),
    });
    const encoder = encoders[format];
    const bytes = new TextEncoder();
    let first = true;
    const stream = new ReadableStream<Uint8Array>({
      start: (ctrl) => ctrl.enqueue(bytes.encode(encoder.head)),
      async pull(ctrl) {
        try {
          const next = await pages.next();
          if (next.done) {
            ctrl.enqueue(bytes.encode(encoder.tail));
            ctrl.close();
            return;
          }
          ctrl.enqueue(bytes.encode(encoder.page(next.value, first)));
          first = false;
        } catch (err) {
          // The status line is already sent: log, and cut the body short so the client sees an incomplete file.
          deps.logger.error({ err, requestId: c.get('requestId') }, 'report failed mid-stream');
          ctrl.error(err);
        }
      },
      cancel: async () => void (await pages.return(undefined)),
    });
    return c.body(stream, 200, {
      'Content-Type': encoder.type,
      'Content-Disposition': `attachment; filename="profiles.${format}"`,
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
