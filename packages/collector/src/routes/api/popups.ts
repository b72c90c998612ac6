import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../../env.js';
import { jsonBody } from '../../middleware/json-body.js';
import { createPopup, listPopups, popupStatsOf, readPopup, removePopup, replacePopup } from '../../services/popups.js';
import { serviceContext } from '../service-context.js';

/** A rule is a few KB at most (title 200, body 2,000 characters); the cap keeps page-rule lists from growing without bound. */
export const MAX_POPUP_RULE_BYTES = 64 * 1024;

/** Popup rules (SPEC §6), secret key: create, list, read, replace, delete, stats. */
export function popupAdminRoutes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  app.post('/', jsonBody(MAX_POPUP_RULE_BYTES), async (c) => c.json(await createPopup(serviceContext(c, deps), c.get('body')), 201));
  app.get('/', async (c) => c.json(await listPopups(serviceContext(c, deps))));
  app.get('/:id', async (c) => c.json(await readPopup(serviceContext(c, deps), c.req.param('id'))));
  app.put('/:id', jsonBody(MAX_POPUP_RULE_BYTES), async (c) =>
    c.json(await replacePopup(serviceContext(c, deps), c.req.param('id'), c.get('body'))),
  );
  app.delete('/:id', async (c) => {
    await removePopup(serviceContext(c, deps), c.req.param('id'));
    return c.body(null, 204);
  });
  app.get('/:id/stats', async (c) => c.json(await popupStatsOf(serviceContext(c, deps), c.req.param('id'))));
  return app;
}
