import { Hono } from 'hono';
import { WebhookPage } from '../../console/webhook-page.js';
import { WebhooksPage } from '../../console/webhooks-page.js';
import { DomainError } from '../../domain/errors.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleContext, type ConsoleEnv, consoleServices, formFields } from '../../middleware/console-env.js';
import {
  createEndpoint,
  endpointDeliveries,
  listWebhookEndpoints,
  patchEndpoint,
  readEndpoint,
  removeEndpoint,
  retryEndpointDelivery,
} from '../../services/webhooks.js';

const PAGE = 100;
const NOTICES: Record<string, string> = {
  enabled: 'Enabled: deliveries resume.',
  disabled: 'Disabled: nothing is sent until it is enabled again.',
  retried: 'Queued: the worker sends it again on its next pass.',
};

async function endpointPage(c: ConsoleContext, deps: RouteDeps, id: string, extra: { secret?: string; ok?: string } = {}) {
  const ctx = consoleServices(c, deps);
  const endpoint = await readEndpoint(ctx, id);
  const { deliveries, next } = await endpointDeliveries(ctx, id, c.req.query('after') || undefined, PAGE);
  return c.html(<WebhookPage csrfToken={c.get('csrfToken')} endpoint={endpoint} deliveries={deliveries} next={next} {...extra} />);
}

/** Webhooks: endpoints list and create (the secret shown once), enable / disable, delete, deliveries with Retry; the admin API's services. */
export function consoleWebhookRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const { webhooks } = await listWebhookEndpoints(consoleServices(c, deps));
    const ok = c.req.query('deleted') ? 'Endpoint deleted.' : undefined;
    return c.html(<WebhooksPage csrfToken={c.get('csrfToken')} endpoints={webhooks} f={{}} ok={ok} />);
  });
  app.post('/', async (c) => {
    const f = await formFields(c);
    const ctx = consoleServices(c, deps);
    const body = { url: f.url, events: [f.events ?? []].flat(), ...(f.description ? { description: f.description } : {}) };
    try {
      const created = await createEndpoint(ctx, body);
      // Answered here rather than redirected, so a reload never shows the secret again.
      return endpointPage(c, deps, created.id, { secret: created.secret, ok: 'Endpoint created.' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const { webhooks } = await listWebhookEndpoints(ctx);
      return c.html(<WebhooksPage csrfToken={c.get('csrfToken')} endpoints={webhooks} f={f} error={err.message} />, 400);
    }
  });
  app.get('/:id', (c) => endpointPage(c, deps, c.req.param('id'), { ok: NOTICES[c.req.query('done') ?? ''] }));
  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const)
    app.post(`/:id/${action}`, async (c) => {
      await patchEndpoint(consoleServices(c, deps), c.req.param('id'), { enabled });
      return c.redirect(`/console/webhooks/${c.req.param('id')}?done=${action}d`, 303);
    });
  app.post('/:id/delete', async (c) => {
    await removeEndpoint(consoleServices(c, deps), c.req.param('id'));
    return c.redirect('/console/webhooks?deleted=1', 303);
  });
  app.post('/:id/deliveries/:deliveryId/retry', async (c) => {
    await retryEndpointDelivery(consoleServices(c, deps), c.req.param('id'), c.req.param('deliveryId'));
    return c.redirect(`/console/webhooks/${c.req.param('id')}?done=retried`, 303);
  });
  return app;
}
