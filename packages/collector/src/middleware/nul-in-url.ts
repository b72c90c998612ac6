import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors.js';
import type { AppEnv } from '../env.js';

const NUL = /%00/i;

/**
 * Refuses a request whose path or query holds a NUL (`%00`, the only way one
 * reaches a URL): PostgreSQL cannot compare text holding NUL, so an ID or a
 * cursor carrying one would be a 500 there and a miss on SQLite. The answer
 * names the query parameter, or `path`.
 *
 * @example app.use('*', nulInUrl());
 */
export const nulInUrl = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const url = c.req.url;
    if (NUL.test(url)) {
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      if (NUL.test(path)) throw new DomainError('invalid_request', 'path: must not contain a NUL (%00) character', 400, 'path');
      const pair =
        url
          .slice(q + 1)
          .split('&')
          .find((p) => NUL.test(p)) ?? '';
      const name = decodeName(pair.split('=')[0] ?? '');
      throw new DomainError('invalid_request', `${name}: must not contain a NUL (%00) character`, 400, name);
    }
    await next();
  });

/** The parameter's name for the error, itself NUL-free and readable. */
function decodeName(raw: string): string {
  try {
    const name = decodeURIComponent(raw.replace(/\+/g, ' ')).replaceAll('\u0000', '\uFFFD');
    return name ? `query.${name}` : 'query';
  } catch {
    return 'query';
  }
}
