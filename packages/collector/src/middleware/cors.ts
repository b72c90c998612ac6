import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { requestHeader } from './node-request.js';

export interface OpenCorsOptions {
  /** Methods a preflight allows. */
  methods: string[];
}

/**
 * CORS for the public `/v1/*` routes (tracking and popups): open to any
 * storefront origin, since the write key is public and these routes only
 * write, or read what the page would show anyway. The caller's origin is
 * reflected (not `*`) so credentialed requests carrying the collector's own
 * first-party cookie pass too. Every header is set *before* the handler runs:
 * hono/cors adds `Vary` after `next()`, which makes Hono rebuild the finished
 * Response and costs @hono/node-server its fast write path on every request.
 * @example app.use('/v1/*', openCors({ methods: ['GET', 'POST'] }));
 */
export const openCors = ({ methods }: OpenCorsOptions) => {
  const allowMethods = [...methods, 'OPTIONS'].join(', ');
  return createMiddleware<AppEnv>(async (c, next) => {
    c.header('Access-Control-Allow-Origin', requestHeader(c, 'origin') || '*');
    c.header('Access-Control-Allow-Credentials', 'true');
    c.header('Vary', 'Origin');
    if (c.req.method !== 'OPTIONS') return next();
    c.header('Access-Control-Allow-Methods', allowMethods);
    c.header('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Retry-Count');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });
};
