import { Hono } from 'hono';
import { SegmentPage } from '../../console/segment-page.js';
import { SegmentsPage } from '../../console/segments-page.js';
import { csvLine } from '../../domain/report/csv.js';
import { DomainError } from '../../domain/errors.js';
import { definitionFromForm, type FormFields } from '../../domain/segment-form.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleContext, type ConsoleEnv, consoleServices, formFields } from '../../middleware/console-env.js';
import { profileReport, REPORT_COLUMNS } from '../../services/reports.js';
import { createSegment, listSavedSegments, previewSegment, readSegment, segmentProfiles } from '../../services/segments.js';

async function page(
  c: ConsoleContext,
  deps: RouteDeps,
  f: FormFields,
  extra: { preview?: Awaited<ReturnType<typeof previewSegment>>; error?: string } = {},
) {
  const { segments } = await listSavedSegments(consoleServices(c, deps));
  return c.html(<SegmentsPage csrfToken={c.get('csrfToken')} segments={segments} f={f} {...extra} />, extra.error ? 400 : 200);
}

/** Segments: the builder (preview, save), a saved segment's counts and members, its CSV export. */
export function consoleSegmentRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', (c) => page(c, deps, { combine: 'all' }));

  // console.js posts here on every change (x-csrf-token header) and wants JSON; a form without script gets the page.
  app.post('/preview', async (c) => {
    const f = await formFields(c);
    const scripted = c.req.header('x-csrf-token') !== undefined;
    try {
      const preview = await previewSegment(consoleServices(c, deps), { definition: definitionFromForm(f) });
      return scripted ? c.json(preview) : page(c, deps, f, { preview });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return scripted ? c.json({ error: { code: err.code, message: err.message } }, 400) : page(c, deps, f, { error: err.message });
    }
  });

  app.post('/', async (c) => {
    const f = await formFields(c);
    try {
      const name = typeof f.name === 'string' ? f.name : undefined;
      const saved = await createSegment(consoleServices(c, deps), { name, definition: definitionFromForm(f) });
      return c.redirect(`/console/segments/${saved.id}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(c, deps, f, { error: err.message });
    }
  });

  app.get('/:id', async (c) => {
    const ctx = consoleServices(c, deps);
    const segment = await readSegment(ctx, c.req.param('id'));
    const members = await segmentProfiles(ctx, segment.id, { limit: 50, after: c.req.query('after') || undefined });
    return c.html(<SegmentPage csrfToken={c.get('csrfToken')} segment={segment} members={members.profiles} next={members.next} />);
  });

  // The admin API's report (GET /api/reports/profiles?segment=), streamed as CSV for a download.
  app.get('/:id/export.csv', async (c) => {
    const pages = await profileReport(consoleServices(c, deps), { segment: c.req.param('id') });
    const bytes = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start: (ctrl) => ctrl.enqueue(bytes.encode(csvLine([...REPORT_COLUMNS]))),
      async pull(ctrl) {
        const next = await pages.next();
        if (next.done) ctrl.close();
        else ctrl.enqueue(bytes.encode(next.value.map((r) => csvLine(REPORT_COLUMNS.map((k) => r[k]))).join('')));
      },
    });
    return c.body(stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="segment-${c.req.param('id')}.csv"`,
    });
  });
  return app;
}
