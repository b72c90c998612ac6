import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../env.js';
import { jsonBody } from '../../middleware/json-body.js';
import {
  createEndpoint,
  endpointDeliveries,
  listWebhookEndpoints,
  patchEndpoint,
  readEndpoint,
  removeEndpoint,
  retryEndpointDelivery,
} from '../../services/webhooks.js';
import { serviceContext } from '../service-context.js';
import { limitParam } from './params.js';

const MAX_WEBHOOK_BODY = 16 * 1024;

/** Webhook endpoints and their deliveries (SPEC §9). Sending is the worker's (services/webhook-worker.ts), never a request's. */
export function webhookRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const body = jsonBody(MAX_WEBHOOK_BODY);
  const ctx = (c: Parameters<typeof serviceContext>[0]) => serviceContext(c, deps);

  app.post('/', body, async (c) => c.json(await createEndpoint(ctx(c), c.get('body')), 201));
  app.get('/', async (c) => c.json(await listWebhookEndpoints(ctx(c))));
  app.get('/:id', async (c) => c.json(await readEndpoint(ctx(c), c.req.param('id'))));
  app.patch('/:id', body, async (c) => c.json(await patchEndpoint(ctx(c), c.req.param('id'), c.get('body'))));
  app.delete('/:id', async (c) => {
    await removeEndpoint(ctx(c), c.req.param('id'));
    return c.body(null, 204);
  });
  app.get('/:id/deliveries', async (c) =>
    c.json(await endpointDeliveries(ctx(c), c.req.param('id'), c.req.query('after'), limitParam(c.req.query('limit'), 100, 1000))),
  );
  app.post('/:id/deliveries/:deliveryId/retry', async (c) =>
    c.json(await retryEndpointDelivery(ctx(c), c.req.param('id'), c.req.param('deliveryId')), 202),
  );
  return app;
}
