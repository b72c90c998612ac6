import { Hono } from 'hono';
import { DeletePage } from '../../console/delete-page.js';
import { PersonPage } from '../../console/person-page.js';
import { PEOPLE_TABS } from '../../console/people-page.js';
import { DomainError } from '../../domain/errors.js';
import { channelOf } from '../../domain/reach/address.js';
import { parseLift } from '../../domain/reach/suppression-input.js';
import { preIdentify } from '../../domain/timeline-split.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleContext, type ConsoleEnv, consoleServices, formFields, formText } from '../../middleware/console-env.js';
import { readProfile } from '../../services/profile-view.js';
import { deleteProfile, profileEvents, profileLog } from '../../services/profiles.js';
import { suppressProfileChannel } from '../../services/profile-suppressions.js';
import { liftSuppression } from '../../services/suppressions.js';
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
    <PersonPage
      csrfToken={c.get('csrfToken')}
      now={new Date(ctx.now()).toISOString()}
      profile={profile}
      events={events}
      pre={pre}
      log={log}
      notice={notice}
    />,
    status,
  );
}

/** A person's page, unmerge from its contact log, suppress and lift (the admin API's services), and delete after a confirmation page. */
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
  app.post('/:id/suppressions', async (c) => {
    const id = c.req.param('id');
    const f = await formFields(c);
    const back = typeof f.back === 'string' && (PEOPLE_TABS as readonly string[]).includes(f.back) ? f.back : undefined;
    try {
      const channel = channelOf(f.channel);
      const done = await suppressProfileChannel(consoleServices(c, deps), id, channel, 'console');
      if (back) return c.redirect(`/console/people?status=${back}&blocked=${channel}`, 303);
      return render(c, deps, id, { ok: `Suppressed ${channel}: ${done.map((s) => s.address).join(', ')}.` });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404) throw err;
      return render(c, deps, id, { error: err.message }, 400);
    }
  });
  app.post('/:id/suppressions/lift', async (c) => {
    const id = c.req.param('id');
    const f = await formFields(c);
    const ctx = consoleServices(c, deps);
    try {
      const evidence = { source: f.source, at: f.at, ...(f.text ? { text: f.text } : {}) };
      const lift = parseLift({ channel: f.channel, address: f.address, evidence }, ctx.workspace.settings.defaultCountry);
      await ctx.database.db.transaction().execute((trx) => liftSuppression(trx, ctx, { ...lift, by: 'operator' }));
      return render(c, deps, id, { ok: `Lifted the ${lift.channel} suppression of ${lift.address}.` });
    } catch (err) {
      // A suppression already lifted is a 404 of the service: said on the page (a gone profile 404s in render).
      if (!(err instanceof DomainError)) throw err;
      return render(c, deps, id, { error: err.message }, 400);
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
