import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The Node request under @hono/node-server; undefined elsewhere (app.request() in tests, other runtimes). */
export const nodeIncoming = (c: Context): IncomingMessage | undefined => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;

/**
 * A request header by its lowercase `name`, as `c.req.header(name)` answers
 * it (repeated lines joined with ", "). Under @hono/node-server it is read
 * from Node's own parse: the first `c.req.header` of a request builds a whole
 * fetch `Headers` from it (undici, every name and value validated again),
 * which cost a tracking request more than its routing.
 * @example const origin = requestHeader(c, 'origin');
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeIncoming(c);
  return incoming ? incoming.headersDistinct[name]?.join(', ') : c.req.header(name);
}
