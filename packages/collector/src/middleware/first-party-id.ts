import { MAX_ID_LENGTH } from '@threadline/protocol';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { requestHeader } from './node-request.js';

/** The HttpOnly first-party cookie holding the anonymous ID (SPEC §8); `tl_aid` is the script's own. */
export const FIRST_PARTY_ID_COOKIE = 'tl_said';
/** Chrome caps cookie lifetimes at 400 days (RFC 6265bis §5.5), as the SDK's own cookie. */
const MAX_AGE_S = 400 * 24 * 3600;

/**
 * Whether the browser sent this request from the collector's own origin: the
 * site proxies a path (`https://shop.example/tl/`) to the collector. Fetch
 * Metadata says so where the browser sends it (page script cannot forge it);
 * otherwise the Origin must name the host the browser addressed, which a
 * proxy passes as `X-Forwarded-Host` or keeps in `Host`.
 * @example if (sameOrigin(c)) c.res.headers.append('Set-Cookie', firstPartyIdCookie(c, id));
 */
export function sameOrigin(c: Context): boolean {
  const site = requestHeader(c, 'sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = requestHeader(c, 'origin');
  const host = requestHeader(c, 'x-forwarded-host') ?? requestHeader(c, 'host');
  try {
    return !!origin && !!host && new URL(origin).host === host.split(',')[0]!.trim();
  } catch {
    return false;
  }
}

/**
 * The `Set-Cookie` value: HttpOnly (script cannot erase or read it, so
 * Safari's 7-day cap on script-written storage does not apply), SameSite=Lax,
 * Secure when the page is https. No Path: the browser scopes it to the
 * directory of the request (`/tl/v1` behind a `/tl/` proxy), so it goes only
 * to the collector's own routes, wherever the site mounts them.
 * @example c.header('Set-Cookie', firstPartyIdCookie(c, id), { append: true });
 */
export function firstPartyIdCookie(c: Context, id: string | undefined): string {
  const origin = requestHeader(c, 'origin') ?? '';
  const secure = requestHeader(c, 'x-forwarded-proto') === 'https' || origin.startsWith('https:') || c.req.url.startsWith('https:');
  const value = id ? `${encodeURIComponent(id)}; Max-Age=${MAX_AGE_S}` : '; Max-Age=0';
  return `${FIRST_PARTY_ID_COOKIE}=${value}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The anonymous ID of the newest message in a tracking body (a batch or one message), if any. */
function newestAnonymousId(body: unknown): string | undefined {
  const b = body as { batch?: unknown } | undefined;
  const messages: unknown[] = Array.isArray(b?.batch) ? b.batch : [b];
  for (let i = messages.length - 1; i >= 0; i--) {
    const id = (messages[i] as { anonymousId?: unknown } | undefined)?.anonymousId;
    if (typeof id === 'string' && id && id.length <= MAX_ID_LENGTH) return id;
  }
  return undefined;
}

/**
 * Tracking requests from the site's own origin set (or renew) the HttpOnly
 * `tl_said` cookie with the visitor's anonymous ID, which `GET /v1/id` reads
 * back for an SDK whose storage was erased (SPEC §8). Cross-origin requests
 * are left alone: there it would be a third-party cookie.
 * @example app.use('/v1/*', firstPartyId());
 */
export const firstPartyId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.req.method !== 'POST' || c.res.status >= 300 || !sameOrigin(c)) return;
    const id = newestAnonymousId(c.get('body'));
    if (id) c.res.headers.append('Set-Cookie', firstPartyIdCookie(c, id));
  });
