import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SignInPage } from '../../console/sign-in-page.js';
import type { RouteDeps } from '../../env.js';
import { CONSOLE_COOKIE, type ConsoleEnv, formText } from '../../middleware/console-env.js';
import { signInToConsole, signOutOfConsole } from '../../services/console-sessions.js';

/** Only a path inside the console: an open redirect would let a link send a signed-in user anywhere. */
const safeNext = (next: string | undefined) => (next && /^\/console(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/console');

const cookieOptions = (c: { req: { url: string } }) => ({
  path: '/console',
  httpOnly: true,
  sameSite: 'Strict' as const,
  secure: new URL(c.req.url).protocol === 'https:',
});

/** Sign-in (public) and sign-out. */
export function consoleAuthRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/sign-in', (c) => c.html(<SignInPage next={safeNext(c.req.query('next'))} />));
  app.post('/sign-in', async (c) => {
    const next = safeNext(await formText(c, 'next'));
    const signed = await signInToConsole(deps.database.db, deps.workspaces, (await formText(c, 'secretKey')).trim(), deps.now());
    if (!signed) return c.html(<SignInPage next={next} error="That is not the secret key of a workspace." />, 401);
    setCookie(c, CONSOLE_COOKIE, signed.token, { ...cookieOptions(c), expires: new Date(signed.expiresAt) });
    return c.redirect(next, 303);
  });
  return app;
}

/** Sign-out: behind the session check, so it needs the CSRF token like any change. */
export function consoleSignOutRoute(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.post('/sign-out', async (c) => {
    await signOutOfConsole(deps.database.db, getCookie(c, CONSOLE_COOKIE));
    deleteCookie(c, CONSOLE_COOKIE, cookieOptions(c));
    return c.redirect('/console/sign-in', 303);
  });
  return app;
}
