import { Hono } from 'hono';
import { PopupFormPage } from '../../console/popup-form-page.js';
import { PopupsPage } from '../../console/popups-page.js';
import { DomainError } from '../../domain/errors.js';
import { formFromPopup, popupFromForm } from '../../domain/popup-form.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleEnv, consoleServices, formFields } from '../../middleware/console-env.js';
import { createPopup, listPopups, parseRule, popupStatsOf, readPopup, replacePopup } from '../../services/popups.js';

const NEW_POPUP = { enabled: 'on', priority: '0', audience: 'anonymous', triggerType: 'pageView', title: '', name: '' };
const text = (f: Record<string, string | string[]>) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));

/** Popups: list with stats, create and edit every field (the admin API's services), and the rule a preview draws. */
export function consolePopupRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const ctx = consoleServices(c, deps);
    const { popups } = await listPopups(ctx);
    const withStats = await Promise.all(popups.map(async (p) => ({ ...p, stats: await popupStatsOf(ctx, p.id) })));
    return c.html(<PopupsPage csrfToken={c.get('csrfToken')} popups={withStats} />);
  });
  app.get('/new', (c) => c.html(<PopupFormPage csrfToken={c.get('csrfToken')} f={NEW_POPUP} />));

  // console.js asks for the validated rule to draw it with the SDK's dialog; errors name the field.
  app.post('/preview', async (c) => {
    try {
      return c.json({ rule: await parseRule(consoleServices(c, deps), popupFromForm(await formFields(c))) });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return c.json({ error: { code: err.code, message: err.message } }, 400);
    }
  });

  app.post('/', async (c) => {
    const f = await formFields(c);
    try {
      const rule = await createPopup(consoleServices(c, deps), popupFromForm(f));
      return c.redirect(`/console/popups/${rule.id}?saved=1`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return c.html(<PopupFormPage csrfToken={c.get('csrfToken')} f={text(f)} error={err.message} />, 400);
    }
  });
  app.get('/:id', async (c) => {
    const rule = await readPopup(consoleServices(c, deps), c.req.param('id'));
    const ok = c.req.query('saved') ? 'Saved.' : undefined;
    return c.html(<PopupFormPage csrfToken={c.get('csrfToken')} id={rule.id} f={formFromPopup(rule)} ok={ok} />);
  });
  app.post('/:id', async (c) => {
    const f = await formFields(c);
    try {
      const rule = await replacePopup(consoleServices(c, deps), c.req.param('id'), popupFromForm(f));
      return c.redirect(`/console/popups/${rule.id}?saved=1`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404) throw err;
      return c.html(<PopupFormPage csrfToken={c.get('csrfToken')} id={c.req.param('id')} f={text(f)} error={err.message} />, 400);
    }
  });
  return app;
}
