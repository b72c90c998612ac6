import { timingSafeEqual } from 'node:crypto';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { RouteDeps } from '../env.js';
import { CONSOLE_COOKIE, type ConsoleEnv, formText } from './console-env.js';
import { consoleSession } from '../services/console-sessions.js';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Console pages need a signed-in session: without one a request goes to the
 * sign-in page (a GET remembers where it was going). Every request that
 * changes something must also carry the session's CSRF token, as the `_csrf`
 * form field or the `x-csrf-token` header of our own script; hono/csrf has
 * already checked its Origin.
 */
export const consoleAuth = (deps: RouteDeps) =>
  createMiddleware<ConsoleEnv>(async (c, next) => {
    const session = await consoleSession(deps.database.db, getCookie(c, CONSOLE_COOKIE), deps.now());
    if (!session) {
      const url = new URL(c.req.url);
      const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
      return c.redirect(`/console/sign-in${back}`, 303);
    }
    c.set('workspace', session.workspace);
    c.set('verified', true);
    c.set('csrfToken', session.csrfToken);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const given = c.req.header('x-csrf-token') ?? (await formText(c, '_csrf'));
      if (!given || !same(given, session.csrfToken)) {
        return c.text('This form has expired or did not come from the console: reload the page and try again.', 403);
      }
    }
    await next();
    // Pages show personal data: never kept by a shared cache or the back/forward cache of another user.
    c.header('Cache-Control', 'no-store');
  });
