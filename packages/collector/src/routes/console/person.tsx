import { Hono } from 'hono';
import { DeletePage } from '../../console/delete-page.js';
import { PersonPage } from '../../console/person-page.js';
import { DomainError } from '../../domain/errors.js';
import { preIdentify } from '../../domain/timeline-split.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleContext, type ConsoleEnv, consoleServices, formText } from '../../middleware/console-env.js';
import { readProfile } from '../../services/profile-view.js';
import { deleteProfile, profileEvents, profileLog } from '../../services/profiles.js';
import { unmerge } from '../../services/unmerge.js';

/** Events shown on the page; a longer history pages through the admin API. */
const TIMELINE_LIMIT = 500;
const KNOWN = ['email', 'phone', 'userId'];

async function render(c: ConsoleContext, deps: RouteDeps, id: string, notice?: { error?: string; ok?: string }, status: 200 | 400 = 200) {
  const ctx = consoleServices(c, deps);
  const profile = await readProfile(ctx, id);
  const [{ events }, log] = await Promise.all([profileEvents(ctx, profile.id, TIMELINE_LIMIT), profileLog(ctx, profile.id)]);
  const attached = log.find((e) => e.type === 'identifier_added' && KNOWN.includes(String(e.details.kind)));
  const pre = preIdentify(events, profile.status === 'anonymous' ? null : (attached?.at ?? null));
  return c.html(
    <PersonPage csrfToken={c.get('csrfToken')} profile={profile} events={events} pre={pre} log={log} notice={notice} />,
    status,
  );
}

/** A person's page, unmerge from its contact log, and delete after a confirmation page. */
export function consolePersonRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/:id', (c) => render(c, deps, c.req.param('id')));
  app.post('/:id/unmerge', async (c) => {
    try {
      const { restoredId } = await unmerge(consoleServices(c, deps), c.req.param('id'), await formText(c, 'logId'));
      return render(c, deps, c.req.param('id'), { ok: `Unmerged: profile ${restoredId} is back on its own.` });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404) throw err;
      return render(c, deps, c.req.param('id'), { error: err.message }, 400);
    }
  });
  app.get('/:id/delete', async (c) => {
    const p = await readProfile(consoleServices(c, deps), c.req.param('id'));
    return c.html(
      <DeletePage csrfToken={c.get('csrfToken')} id={p.id} name={p.email ?? p.phone ?? p.userId ?? 'this anonymous visitor'} />,
    );
  });
  app.post('/:id/delete', async (c) => {
    await deleteProfile(consoleServices(c, deps), c.req.param('id'));
    return c.redirect('/console/people?deleted=1', 303);
  });
  return app;
}
