import { Hono } from 'hono';
import { invalid } from '../../domain/errors.js';
import { channelEventList } from '../../domain/reach/channel-event.js';
import { parseLift, parseSuppression } from '../../domain/reach/suppression-input.js';
import type { AppEnv, RouteDeps } from '../../env.js';
import { channelEvents } from '../../services/channel-events.js';
import { liftSuppression, suppressAddress } from '../../services/suppressions.js';
import { suppressionsPage } from '../../services/suppressions-page.js';
import { serviceContext } from '../service-context.js';
import { limitParam } from './params.js';

const jsonOf = (c: { req: { json: () => Promise<unknown> } }) =>
  c.req.json().catch(() => {
    throw invalid('body', 'must be JSON');
  });

/**
 * Opt-outs (SPEC §4, §9): the suppression list, adding to it, the recorded
 * re-opt-in that lifts, and provider events. Secret key (mounted under /api).
 */
export function suppressionRoutes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  app.get('/suppressions', async (c) =>
    c.json(
      await suppressionsPage(serviceContext(c, deps), {
        channel: c.req.query('channel'),
        address: c.req.query('address'),
        after: c.req.query('after'),
        limit: limitParam(c.req.query('limit'), 100, 1000),
      }),
    ),
  );
  app.post('/suppressions', async (c) => {
    const ctx = serviceContext(c, deps);
    const input = parseSuppression(await jsonOf(c), ctx.workspace.settings.defaultCountry);
    const change = { ...input, source: input.source ?? 'api', by: 'api' as const, at: ctx.now() };
    return c.json(await suppressAddress(ctx.database.db, ctx, change), 201);
  });
  app.post('/suppressions/lift', async (c) => {
    const ctx = serviceContext(c, deps);
    const lift = parseLift(await jsonOf(c), ctx.workspace.settings.defaultCountry);
    return c.json(await ctx.database.db.transaction().execute((trx) => liftSuppression(trx, ctx, { ...lift, by: 'api' })));
  });
  app.post('/channel-events', async (c) => c.json(await channelEvents(serviceContext(c, deps), channelEventList(await jsonOf(c)))));
  return app;
}
