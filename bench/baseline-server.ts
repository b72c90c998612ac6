// The ingest baseline (issue 4, §3): a bare Hono route that writes the same
// event rows to the same kind of database as the collector (its own
// openDatabase and insertEvents, so the same schema, pragmas, pool and SQL),
// with no validation, key check, de-duplication read or identity work.
// The floor the collector's ingest is measured against.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { openDatabase } from '../packages/collector/src/db/connection.js';
import { insertEvents } from '../packages/collector/src/repos/event-inserts.js';
import type { EventRecord } from '../packages/collector/src/repos/events.js';

type Raw = Record<string, unknown> & { messageId: string; type: string; anonymousId?: string; userId?: string; timestamp?: string };

const WORKSPACE = 'baseline';
const database = await openDatabase(process.env.THREADLINE_DB ?? './data/baseline.db');

const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null);
const toEvent = (m: Raw, receivedAt: number, seq: number): EventRecord => ({
  messageId: m.messageId,
  type: m.type,
  event: (m.event as string | undefined) ?? null,
  name: (m.name as string | undefined) ?? null,
  properties: obj(m.properties),
  traits: obj(m.traits),
  context: obj(m.context),
  anonymousId: m.anonymousId ?? null,
  userId: m.userId ?? null,
  source: m.anonymousId ? { kind: 'anonymousId', value: m.anonymousId } : { kind: 'userId', value: String(m.userId) },
  timestamp: (m.timestamp && Date.parse(m.timestamp)) || receivedAt,
  receivedAt,
  seq, // order within the batch, as the collector records it
});

const app = new Hono();
app.get('/health', (c) => c.json({ ok: true }));
app.post('/v1/batch', async (c) => {
  const { batch } = JSON.parse(await c.req.text()) as { batch: Raw[] };
  const now = Date.now();
  const inserted = await insertEvents(
    database.db,
    WORKSPACE,
    batch.map((m, i) => toEvent(m, now, i)),
    (e) => [e.source.value],
  );
  return c.json({ success: true, accepted: inserted.size });
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8799), hostname: '127.0.0.1' });
process.once('SIGTERM', () => {
  server.close(() => void database.close().then(() => process.exit(0)));
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
});
