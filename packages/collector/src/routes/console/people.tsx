import { Hono } from 'hono';
import { PEOPLE_TABS, PeoplePage, type PeopleTab } from '../../console/people-page.js';
import { DomainError } from '../../domain/errors.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleContext, type ConsoleEnv, consoleServices } from '../../middleware/console-env.js';
import type { ApiProfile } from '../../services/profile-view.js';
import { listProfilesPage, lookupProfile } from '../../services/profiles.js';

const PAGE = 50;

/** The lookups a free-text search tries, most specific first; the same lookup as GET /api/profiles/lookup. */
function kindsFor(q: string): string[] {
  if (q.includes('@')) return ['email'];
  if (/^\+?[\d\s().-]{6,}$/.test(q)) return ['phone', 'userId'];
  return ['userId', 'anonymousId'];
}

async function search(c: ConsoleContext, deps: RouteDeps, q: string): Promise<ApiProfile | undefined> {
  for (const kind of kindsFor(q)) {
    try {
      return await lookupProfile(consoleServices(c, deps), { [kind]: [q] });
    } catch (err) {
      // Not found, or not a valid value of this kind: try the next kind.
      if (!(err instanceof DomainError)) throw err;
    }
  }
  return undefined;
}

/** People: tabs by status with keyset paging, a search, and `find` for links that name an identifier (the demo's). */
export function consolePeopleRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const q = c.req.query('q')?.trim();
    const asked = c.req.query('status') as PeopleTab | undefined;
    const tab: PeopleTab = asked && PEOPLE_TABS.includes(asked) ? asked : 'identified';
    if (q) {
      const found = await search(c, deps, q);
      const error = found ? undefined : `No profile holds “${q}”.`;
      return c.html(
        <PeoplePage csrfToken={c.get('csrfToken')} tab={tab} q={q} profiles={found ? [found] : []} next={null} error={error} />,
      );
    }
    const page = await listProfilesPage(consoleServices(c, deps), { status: tab, limit: PAGE, after: c.req.query('after') || undefined });
    const blocked = c.req.query('blocked');
    const ok =
      blocked === 'sms' || blocked === 'email'
        ? `Blocked ${blocked === 'sms' ? 'the mobile (SMS)' : blocked}: suppressed with reason operator.`
        : undefined;
    return c.html(<PeoplePage csrfToken={c.get('csrfToken')} tab={tab} profiles={page.profiles} next={page.next} ok={ok} />);
  });
  app.get('/find', async (c) => {
    const q = c.req.query('anonymousId') ?? c.req.query('q') ?? '';
    const found = q ? await search(c, deps, q) : undefined;
    return c.redirect(found ? `/console/people/${found.id}` : `/console/people?q=${encodeURIComponent(q)}`, 303);
  });
  return app;
}
