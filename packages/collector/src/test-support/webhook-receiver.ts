import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, with what the standardwebhooks verifier made of it. */
export interface Received {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed payload when the signature verified, else undefined (see `error`). */
  payload?: { type: string; timestamp: string; data: Record<string, any> };
  error?: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Verified payloads in arrival order. */
  payloads(): Array<NonNullable<Received['payload']>>;
  /** How the receiver answers the next requests: a status, or 'hang' (never answers). Default 200. */
  answer(next: number | 'hang'): void;
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number): Promise<void>;
  /** The secret signatures are verified with (the endpoint's, from POST /api/webhooks). */
  secret?: string;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1 that checks every delivery with the
 * standardwebhooks package's own verifier, as a customer's endpoint would.
 *
 * @example
 * const r = await startReceiver(); r.secret = endpoint.secret; …; expect(r.payloads()[0].type).toBe('profile.created');
 */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let mode: number | 'hang' = 200;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const hanging = new Set<() => void>();
  const receiver: Receiver = {
    url: '',
    received,
    payloads: () => received.flatMap((r) => (r.payload ? [r.payload] : [])),
    answer: (next) => {
      mode = next;
    },
    waitFor: (n) => (received.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of hanging) end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const entry: Received = { id: String(req.headers['webhook-id']), headers: req.headers, body };
      try {
        if (!receiver.secret) throw new Error('receiver has no secret');
        entry.payload = new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>) as Received['payload'];
      } catch (err) {
        entry.error = (err as Error).message;
      }
      received.push(entry);
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve();
      if (mode === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      res.writeHead(mode).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
