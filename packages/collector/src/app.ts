import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError } from './domain/errors.js';
import type { AppDeps, AppEnv, RouteDeps } from './env.js';
import { openCors } from './middleware/cors.js';
import { firstPartyId } from './middleware/first-party-id.js';
import { secretKey } from './middleware/keys.js';
import { nulInUrl } from './middleware/nul-in-url.js';
import { requestLog } from './middleware/request-log.js';
import { popupAdminRoutes } from './routes/api/popups.js';
import { importRoutes } from './routes/api/imports.js';
import { profileRoutes } from './routes/api/profiles.js';
import { reportRoutes } from './routes/api/reports.js';
import { segmentRoutes } from './routes/api/segments.js';
import { webhookRoutes } from './routes/api/webhooks.js';
import { triggerRoutes } from './routes/api/triggers.js';
import { workspaceRoutes } from './routes/api/workspace.js';
import { assetRoutes } from './routes/assets.js';
import { firstPartyIdRoutes } from './routes/first-party-id.js';
import { consoleRoutes } from './routes/console/index.js';
import { ingestRoutes } from './routes/ingest.js';
import { popupRoutes } from './routes/popups.js';
import { deviceRoutes } from './routes/devices.js';
import { suppressionRoutes } from './routes/api/suppressions.js';
import { createWorkspaceDirectory } from './services/workspace-directory.js';

/**
 * The collector as a Hono app. Middleware order: request log first (so every
 * answer, errors included, is logged), then each mount's own auth.
 *
 * @example
 * const app = createApp(deps); const res = await app.request('/v1/batch', { method: 'POST', body });
 */
export function createApp(appDeps: AppDeps) {
  const deps: RouteDeps = { ...appDeps, workspaces: appDeps.workspaces ?? createWorkspaceDirectory(appDeps.database.db, appDeps.now) };
  const app = new Hono<AppEnv>();
  app.use('*', requestLog(deps.logger));
  app.use('*', nulInUrl());
  app.use('/v1/*', openCors({ methods: ['GET', 'POST', 'DELETE'] }));
  app.use('/v1/*', firstPartyId());
  app.route('/v1', firstPartyIdRoutes());
  app.route('/v1/popups', popupRoutes(deps));
  app.route('/v1/devices', deviceRoutes(deps));
  app.route('/v1', ingestRoutes(deps));
  app.use('/api/*', secretKey(deps.workspaces));
  app.route('/api/profiles', profileRoutes(deps));
  app.route('/api/popups', popupAdminRoutes(deps));
  app.route('/api/segments', segmentRoutes(deps));
  app.route('/api/triggers', triggerRoutes(deps));
  app.route('/api/reports', reportRoutes(deps));
  app.route('/api/webhooks', webhookRoutes(deps));
  app.route('/api', workspaceRoutes(deps));
  app.route('/api', importRoutes(deps));
  app.route('/api', suppressionRoutes(deps));
  app.route('/console', consoleRoutes(deps));
  app.get('/', (c) => c.redirect('/console', 302));
  app.route('/', assetRoutes(deps));
  // The pid tells which of several collector processes answered (THREADLINE_PROCESSES).
  app.get('/health', (c) => c.json({ ok: true, pid: process.pid }));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((err, c) => {
    if (err instanceof DomainError) {
      return c.json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }, err.status);
    }
    if (err instanceof HTTPException) return c.json({ error: { code: 'http_error', message: err.message } }, err.status);
    // Last resort for a NUL or lone surrogate that reached PostgreSQL past the
    // checks (domain/storable-json.ts): the caller's input, not our failure.
    if (isUnstorableText(err)) {
      deps.logger.warn({ err, requestId: c.get('requestId') }, 'text the store cannot hold reached SQL');
      return c.json({ error: { code: 'invalid_text', message: 'a value holds a NUL (\\u0000) or a lone surrogate' } }, 400);
    }
    // Never leak a stack trace: log it with the request ID, answer the ID.
    deps.logger.error({ err, requestId: c.get('requestId') }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: `internal error (request ${c.get('requestId')})` } }, 500);
  });
  return app;
}

/** PostgreSQL's answer to a NUL in text (22021) or jsonb (22P05), or to a lone surrogate escape in jsonb (22P02). */
function isUnstorableText(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '22021' || code === '22P05' || (code === '22P02' && /unicode|surrogate/i.test(err.message));
}
