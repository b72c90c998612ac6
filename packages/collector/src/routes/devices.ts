import { Hono } from 'hono';
import { MAX_MESSAGE_BYTES } from '@threadline/protocol';
import { parseDevice } from '../domain/reach/device-input.js';
import type { AppEnv, RouteDeps } from '../env.js';
import { jsonBody } from '../middleware/json-body.js';
import { writeKey } from '../middleware/keys.js';
import { logoutDevice, registerDevice } from '../services/devices.js';
import { serviceContext } from './service-context.js';

/**
 * Push tokens and web push subscriptions (SPEC §9), public like the tracking
 * API: the write key (HTTP Basic user, `writeKey` in the body, or in the
 * query for DELETE, which has no body) and open CORS (mounted on /v1/*).
 */
export function deviceRoutes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  app.post('/', jsonBody(MAX_MESSAGE_BYTES), writeKey(deps.workspaces), async (c) => {
    const ctx = serviceContext(c, deps);
    const input = parseDevice(c.get('body'), ctx.workspace.settings, c.get('verified'));
    return c.json(await registerDevice(ctx, input), 201);
  });
  app.delete('/:token', writeKey(deps.workspaces, 'query'), async (c) => {
    await logoutDevice(serviceContext(c, deps), c.req.param('token'));
    return c.body(null, 204);
  });
  return app;
}
