import { Hono } from 'hono';
import { DEFAULT_IMPORT_MAX_BYTES } from '../../config.js';
import { bodyTooLarge, DomainError, invalid } from '../../domain/errors.js';
import { bulkContact, bulkContactList, MAX_BULK_BYTES } from '../../domain/import/bulk-contacts.js';
import type { AppEnv, RouteDeps } from '../../env.js';
import { jsonBody } from '../../middleware/json-body.js';
import { csvContacts, csvReading } from '../../services/csv-contacts.js';
import { importItem } from '../../domain/import/read-row.js';
import { IMPORT_CHUNK_ROWS, runImport } from '../../services/import-contacts.js';
import { importRejections, readImport } from '../../services/import-report.js';
import { serviceContext } from '../service-context.js';

/** `text/csv`, with at most a UTF-8 charset: the parser reads UTF-8 only. */
function requireCsv(contentType: string | undefined) {
  const [type, ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (type !== 'text/csv' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new DomainError(
      'unsupported_media_type',
      `Content-Type: must be text/csv (UTF-8), got "${contentType ?? ''}"`,
      415,
      'Content-Type',
    );
  }
}

function limitParam(raw: string | undefined): number {
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalid('limit', 'must be a whole number from 1 to 1000');
  return n;
}

/**
 * Contact imports (SPEC §5): a streamed CSV upload, a bulk JSON API, and
 * the stored reports with their rejections. Secret key only: an import is
 * a verified claim.
 */
export function importRoutes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  const maxBytes = deps.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES;

  app.post('/imports', async (c) => {
    requireCsv(c.req.header('content-type'));
    // The cap is checked again while streaming: a chunked body declares no length.
    if (Number(c.req.header('content-length') ?? 0) > maxBytes) throw bodyTooLarge(maxBytes);
    const meta = {};
    const ctx = serviceContext(c, deps);
    const rows = csvContacts(c.req.raw.body, maxBytes, IMPORT_CHUNK_ROWS, csvReading(ctx), meta);
    const report = await runImport(ctx, 'csv', rows, meta);
    return c.json(report, 201);
  });

  app.post('/contacts/bulk', jsonBody(MAX_BULK_BYTES), async (c) => {
    const items = bulkContactList(c.get('body')).map((raw, i) => importItem(i + 1, bulkContact(raw)));
    return c.json(await runImport(serviceContext(c, deps), 'bulk', [items]), 201);
  });

  app.get('/imports/:id', async (c) => c.json(await readImport(serviceContext(c, deps), c.req.param('id'))));
  app.get('/imports/:id/rejections', async (c) =>
    c.json(await importRejections(serviceContext(c, deps), c.req.param('id'), c.req.query('after'), limitParam(c.req.query('limit')))),
  );
  return app;
}
