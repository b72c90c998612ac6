import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface ServerLimits {
  /** How long a request body may take to arrive, from its headers; 0 turns the limit off. */
  bodyTimeoutMs: number;
  /** Open connections at most; Node closes one past the cap at once. */
  maxConnections: number;
}

/**
 * A CSV import streams its body only as fast as its rows are stored, so a
 * large one arrives for longer than any fixed limit; it needs the secret key
 * before a byte of it is read, so a slow sender cannot hold it open unasked.
 */
const exempt = (req: IncomingMessage) => req.method === 'POST' && /^\/api\/imports\/?(\?|$)/.test(req.url ?? '');

/**
 * Bounds what a slow or greedy client can hold: at most `maxConnections`
 * open connections, and a request body must have arrived within
 * `bodyTimeoutMs` of its headers (Node's own `requestTimeout` would cut long
 * imports too). A late body is answered 408 naming `body`, and its
 * connection closed; the route still waiting for it gets an aborted stream.
 *
 * @example applyServerLimits(server, { bodyTimeoutMs: 30_000, maxConnections: 1000 });
 */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.maxConnections = limits.maxConnections;
  if (!limits.bodyTimeoutMs) return;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.complete || exempt(req)) return;
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (!res.headersSent) {
        const error = { code: 'request_timeout', message: `body: must arrive within ${limits.bodyTimeoutMs} ms`, field: 'body' };
        res.writeHead(408, { 'Content-Type': 'application/json', Connection: 'close' });
        res.end(JSON.stringify({ error }), () => req.socket.destroy());
      } else req.socket.destroy();
    }, limits.bodyTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    res.once('close', clear);
  });
}
