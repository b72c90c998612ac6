import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../env.js';
import { writeKey } from '../middleware/keys.js';
import { popupsForVisitor } from '../services/popups.js';
import { serviceContext } from './service-context.js';

/**
 * `GET /v1/popups?writeKey=…&anonymousId=…` (SPEC §6): the rules the SDK may
 * show this visitor. A plain GET with the key in the query stays CORS-simple,
 * so the browser sends no preflight; CORS itself is `openCors` on `/v1/*`.
 */
export function popupRoutes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', writeKey(deps.workspaces, 'query'), async (c) => {
    const answer = await popupsForVisitor(serviceContext(c, deps), c.req.query('anonymousId'));
    // Private: the answer depends on who the visitor is. A minute bounds how
    // long an edited rule or a fresh identify takes to show.
    c.header('Cache-Control', 'private, max-age=60');
    return c.json(answer);
  });
  return app;
}
