import { Hono } from 'hono';
import { TriggerPage } from '../../console/trigger-page.js';
import { TriggersPage } from '../../console/triggers-page.js';
import { DomainError, invalid } from '../../domain/errors.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleEnv, consoleServices, formFields } from '../../middleware/console-env.js';
import { createTrigger, listTriggersApi, patchTrigger, readTrigger, removeTrigger, triggerFirings } from '../../services/triggers.js';

const PAGE = 100;
const NEW = { channel: 'email', waitUnit: 'hours' };
const NOTICES: Record<string, string> = { enabled: 'Enabled.', disabled: 'Disabled: it fires for nobody until enabled again.' };
const text = (f: Record<string, string | string[]>) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));

/** The trigger the form describes, as POST /api/triggers takes it; the service validates every field. */
function triggerFromForm(f: Record<string, string>) {
  let condition: unknown;
  try {
    condition = f.condition?.trim() ? JSON.parse(f.condition) : undefined;
  } catch {
    throw invalid('condition', 'is not valid JSON');
  }
  const waitFor = f.waitFor?.trim() ? { [f.waitUnit || 'hours']: Number(f.waitFor) } : undefined;
  return { name: f.name, condition, channel: f.channel, waitFor };
}

/** Triggers: list and create, enable / disable, delete, and each one's firings; the admin API's services. */
export function consoleTriggerRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const { triggers } = await listTriggersApi(consoleServices(c, deps));
    const ok = c.req.query('deleted') ? 'Trigger deleted.' : undefined;
    return c.html(<TriggersPage csrfToken={c.get('csrfToken')} triggers={triggers} f={NEW} ok={ok} />);
  });
  app.post('/', async (c) => {
    const f = text(await formFields(c));
    const ctx = consoleServices(c, deps);
    try {
      const created = await createTrigger(ctx, triggerFromForm(f));
      return c.redirect(`/console/triggers/${created.id}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const { triggers } = await listTriggersApi(ctx);
      return c.html(<TriggersPage csrfToken={c.get('csrfToken')} triggers={triggers} f={f} error={err.message} />, 400);
    }
  });
  app.get('/:id', async (c) => {
    const ctx = consoleServices(c, deps);
    const trigger = await readTrigger(ctx, c.req.param('id'));
    const { firings, next } = await triggerFirings(ctx, trigger.id, { after: c.req.query('after') || undefined, limit: PAGE });
    const ok = NOTICES[c.req.query('done') ?? ''];
    return c.html(<TriggerPage csrfToken={c.get('csrfToken')} trigger={trigger} firings={firings} next={next} ok={ok} />);
  });
  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const)
    app.post(`/:id/${action}`, async (c) => {
      await patchTrigger(consoleServices(c, deps), c.req.param('id'), { enabled });
      return c.redirect(`/console/triggers/${c.req.param('id')}?done=${action}d`, 303);
    });
  app.post('/:id/delete', async (c) => {
    await removeTrigger(consoleServices(c, deps), c.req.param('id'));
    return c.redirect('/console/triggers?deleted=1', 303);
  });
  return app;
}
