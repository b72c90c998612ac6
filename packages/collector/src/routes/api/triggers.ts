import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../env.js';
import { jsonBody } from '../../middleware/json-body.js';
import { createTrigger, listTriggersApi, patchTrigger, readTrigger, removeTrigger, triggerFirings } from '../../services/triggers.js';
import { serviceContext } from '../service-context.js';
import { limitParam } from './params.js';

/** A condition is a segment definition (a few KB); the rest is small. */
const MAX_TRIGGER_BODY = 64 * 1024;

/** Triggers (SPEC §9), secret key: create, list, read, change, delete, and the firings list. */
export function triggerRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const body = jsonBody(MAX_TRIGGER_BODY);
  app.post('/', body, async (c) => c.json(await createTrigger(serviceContext(c, deps), c.get('body')), 201));
  app.get('/', async (c) => c.json(await listTriggersApi(serviceContext(c, deps))));
  app.get('/:id', async (c) => c.json(await readTrigger(serviceContext(c, deps), c.req.param('id'))));
  app.patch('/:id', body, async (c) => c.json(await patchTrigger(serviceContext(c, deps), c.req.param('id'), c.get('body'))));
  app.delete('/:id', async (c) => {
    await removeTrigger(serviceContext(c, deps), c.req.param('id'));
    return c.body(null, 204);
  });
  app.get('/:id/firings', async (c) =>
    c.json(
      await triggerFirings(serviceContext(c, deps), c.req.param('id'), {
        after: c.req.query('after'),
        limit: limitParam(c.req.query('limit'), 100, 1000),
      }),
    ),
  );
  return app;
}
