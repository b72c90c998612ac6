// The truly bare ingest ceiling (issue 12): a Hono route that parses the body
// and writes each message's raw JSON into one table keyed by its messageId,
// with one prepared statement in one transaction a request. No validation, no
// key check, no identity, none of the collector's schema or SQL: what a
// Node process and the store can do at all. The same store settings as the
// collector (SQLite WAL with synchronous=NORMAL; a PostgreSQL pool of 10).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { openBareStore } from './bare-store.js';

type Raw = { messageId: string };

const store = await openBareStore(process.env.THREADLINE_DB ?? './data/bare.db');

const app = new Hono();
app.get('/health', (c) => c.json({ ok: true }));
app.post('/v1/batch', async (c) => {
  const { batch } = JSON.parse(await c.req.text()) as { batch: Raw[] };
  const ids = batch.map((m) => m.messageId);
  const bodies = batch.map((m) => JSON.stringify(m));
  const accepted = await store.write(ids, bodies);
  return c.json({ success: true, accepted });
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8798), hostname: '127.0.0.1' });
process.once('SIGTERM', () => {
  server.close(() => void store.close().then(() => process.exit(0)));
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
});
