import { cors } from 'hono/cors';

/**
 * CORS for the public `/v1/*` routes (tracking and popups): open to any
 * storefront origin, since the write key is public and these routes only
 * write, or read what the page would show anyway. The origin is reflected
 * (not `*`) so credentialed requests carrying the collector's own
 * first-party cookie are allowed too; Hono then adds `Vary: Origin`.
 *
 * @example
 * app.use('/v1/*', openCors());
 */
export const openCors = () => cors({ origin: (origin) => origin || '*', credentials: true, allowHeaders: ['Content-Type', 'Authorization'], maxAge: 86400 });
