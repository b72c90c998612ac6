import { Hono } from 'hono';
import { DEFAULT_IMPORT_MAX_BYTES } from '../../config.js';
import { ImportReportPage } from '../../console/import-report-page.js';
import { ImportsPage } from '../../console/imports-page.js';
import { DomainError } from '../../domain/errors.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleContext, type ConsoleEnv, consoleServices } from '../../middleware/console-env.js';
import { csvContacts, csvReading } from '../../services/csv-contacts.js';
import { IMPORT_CHUNK_ROWS, runImport } from '../../services/import-contacts.js';
import { importRejections, INLINE_REJECTIONS, listPastImports, readImport } from '../../services/import-report.js';

async function page(c: ConsoleContext, deps: RouteDeps, error?: string) {
  const imports = await listPastImports(consoleServices(c, deps));
  return c.html(<ImportsPage csrfToken={c.get('csrfToken')} imports={imports} error={error} />, error ? 400 : 200);
}

/** Imports: upload a CSV (the admin API's CSV import, from a form), past imports, a report with its rejected rows. */
export function consoleImportRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  const maxBytes = deps.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  app.get('/', (c) => page(c, deps));
  app.post('/', async (c) => {
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) return page(c, deps, 'file: choose a CSV file to import');
    try {
      const ctx = consoleServices(c, deps);
      const meta = {};
      const report = await runImport(ctx, 'csv', csvContacts(file.stream(), maxBytes, IMPORT_CHUNK_ROWS, csvReading(ctx), meta), meta);
      return c.redirect(`/console/imports/${report.id}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(c, deps, err.message);
    }
  });
  app.get('/:id', async (c) => {
    const ctx = consoleServices(c, deps);
    const report = await readImport(ctx, c.req.param('id'));
    const after = c.req.query('after');
    const rejections = after
      ? await importRejections(ctx, report.id, after, INLINE_REJECTIONS)
      : { rejections: report.rejections, next: report.rejectionsNext };
    return c.html(
      <ImportReportPage csrfToken={c.get('csrfToken')} report={report} rejections={rejections.rejections} next={rejections.next} />,
    );
  });
  return app;
}
