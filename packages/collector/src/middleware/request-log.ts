import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Logger } from 'pino';
import type { AppEnv } from '../env.js';
import { requestHeader } from './node-request.js';

/** One JSON line a request, with its ID; the path only, since query strings can carry emails and phones. */
export const requestLog = (logger: Logger) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const requestId = requestHeader(c, 'x-request-id') ?? randomUUID();
    c.set('requestId', requestId);
    // Set before the handler: a header added to a finished response makes Hono rebuild it (see open-cors.ts).
    c.header('X-Request-Id', requestId);
    const start = performance.now();
    await next();
    logger.info(
      { requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) },
      'request',
    );
  });
