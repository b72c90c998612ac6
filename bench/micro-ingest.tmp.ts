// Temporary CPU micro-benchmark (not committed): CPU µs per request through app.request for batch sizes, vs baseline insert.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../packages/collector/src/app.js';
import { openDatabase } from '../packages/collector/src/db/connection.js';
import { ensureDefaultWorkspace } from '../packages/collector/src/repos/workspaces.js';
import { insertEvents } from '../packages/collector/src/repos/events.js';
import { anonymousIds, batchBody, messageIds, seedBodies, trackJson } from './collector/traffic.js';

const url = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'micro-')), 'm.db');
const database = await openDatabase(url);
const { workspace } = await ensureDefaultWorkspace(database.db, { writeKey: 'wk_m', secretKey: 'sk_m' }, Date.now());
const app = createApp({ database, logger: pino({ level: 'silent' }), now: Date.now, newId: randomUUID, sdkScriptPath: '/x' });
const visitors = anonymousIds(1000);
for (const body of seedBodies('wk_m', visitors)) await app.request('/v1/batch', { method: 'POST', body });
const nextId = messageIds();
let v = 0;
for (const size of (process.env.SIZES ?? "1,20,100").split(",").map(Number)) {
  const make = () => batchBody('wk_m', Array.from({ length: size }, () => trackJson(visitors[v++ % 1000]!, nextId(), v)));
  const reps = Math.max(50, Math.round(4000 / size));
  for (let i = 0; i < 20; i++) await app.request('/v1/batch', { method: 'POST', body: make() });
  let c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) { const r = await app.request('/v1/batch', { method: 'POST', body: make() }); await r.text(); }
  let c1 = process.cpuUsage(c0);
  const ours = (c1.user + c1.system) / reps;
  c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const { batch } = JSON.parse(make()) as { batch: any[] };
    const now = Date.now();
    await insertEvents(database.db, 'baseline', batch.map((m, seq) => ({ messageId: m.messageId, type: m.type, event: m.event, name: null, properties: m.properties, traits: null, context: m.context, anonymousId: m.anonymousId, userId: null, source: { kind: 'anonymousId', value: m.anonymousId }, timestamp: Date.parse(m.timestamp), receivedAt: now, seq })));
  }
  c1 = process.cpuUsage(c0);
  const base = (c1.user + c1.system) / reps;
  console.log(`batch ${size}: ours ${ours.toFixed(0)} µs/req, baseline-insert ${base.toFixed(0)} µs/req, ratio ${(base / ours).toFixed(2)}`);
}
await database.close();
