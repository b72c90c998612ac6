import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface Drain {
  /** Stops accepting connections and resolves once every request in flight is answered and every connection closed. */
  stop(): Promise<void>;
}

/**
 * Graceful stop under keep-alive load. `server.close()` alone waits for every
 * keep-alive connection to go idle, and a busy client keeps sending on its
 * connection, so it never does. Once stopping, every response still to be
 * written says `Connection: close` (so Node ends its connection after it),
 * and each response that finishes lets the now idle connections be closed.
 * Requests in flight finish; nothing new is accepted.
 *
 * @example const drain = drainOnStop(server); process.on('SIGTERM', () => drain.stop().then(() => process.exit(0)));
 */
export function drainOnStop(server: Server): Drain {
  const open = new Set<ServerResponse>();
  let stopping = false;
  const closeIdle = () => setImmediate(() => server.closeIdleConnections());
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    if (stopping) lastOnItsConnection(res);
    res.once('close', () => {
      open.delete(res);
      if (stopping) closeIdle();
    });
  });
  return {
    stop() {
      stopping = true;
      for (const res of open) lastOnItsConnection(res);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      return closed;
    },
  };
}
