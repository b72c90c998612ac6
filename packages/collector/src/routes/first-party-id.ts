import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../env.js';
import { FIRST_PARTY_ID_COOKIE, firstPartyIdCookie } from '../middleware/first-party-id.js';

/**
 * The first-party ID (SPEC §8): `GET /v1/id` answers the anonymous ID the
 * HttpOnly `tl_said` cookie holds (null without one), for an SDK that lost
 * its cookie and mirror; `DELETE /v1/id` expires it (consent denied, SPEC §7).
 * No key: it reads and writes only the caller's own cookie, which SameSite=Lax
 * keeps from other sites.
 * @example app.route('/v1', firstPartyIdRoutes());
 */
export function firstPartyIdRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/id', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ anonymousId: getCookie(c, FIRST_PARTY_ID_COOKIE) || null });
  });
  app.delete('/id', (c) => {
    c.header('Set-Cookie', firstPartyIdCookie(c, undefined));
    return c.body(null, 204);
  });
  return app;
}
