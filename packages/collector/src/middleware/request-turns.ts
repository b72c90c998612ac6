import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Dialect } from '../db/schema.js';

/**
 * Lets requests in one an event-loop turn, in the order they came, so that
 * PostgreSQL's answers are read before new requests are worked on.
 *
 * Node runs every request whose bytes one poll of the sockets found before
 * it polls again, each through to its first wait (body, key, validation,
 * then the queue of services/identify-groups.ts). Under load a few dozen
 * arrive together, some 5 ms of work, during which the answer to the
 * request group at PostgreSQL sits unread, though the new requests can
 * only join the group after it. Let in one a turn, each request is
 * followed by a poll, which finds that answer among the first: a group's
 * round trips took about a quarter less, and identifies a second rose
 * (ARCHITECTURE.md, "PostgreSQL: concurrent requests' identities in one
 * transaction"). A turn costs one poll that does not wait. On SQLite,
 * whose statements run on the event loop itself, there is no answer to
 * read first, and requests go in as they come.
 *
 * @example
 * app.post('/batch', requestTurns(deps.database.dialect), jsonBody(MAX_BATCH_BYTES), handler);
 */
export function requestTurns(dialect: Dialect): MiddlewareHandler {
  if (dialect === 'sqlite') return createMiddleware(async (_c, next) => next());
  const waiting: Array<() => void> = [];
  // Whenever a request waits, one step is queued: it lets the first in, and queues the next step for the next turn.
  const step = () => {
    waiting.shift()!();
    if (waiting.length) setImmediate(step);
  };
  return createMiddleware(async (_c, next) => {
    await new Promise<void>((go) => {
      if (waiting.push(go) === 1) setImmediate(step);
    });
    await next();
  });
}
