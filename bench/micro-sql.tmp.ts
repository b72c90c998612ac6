import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../packages/collector/src/db/connection.js';
import { insertEvents } from '../packages/collector/src/repos/events.js';
import { insertEventsOfKnownSources } from '../packages/collector/src/repos/known-source-events.js';
import { anonymousIds, messageIds, trackJson } from './collector/traffic.js';
const url = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'micro-')), 'm.db');
const database = await openDatabase(url);
const ws = 'w-' + Math.random().toString(36).slice(2);
const visitors = anonymousIds(1000);
await database.db.insertInto('identities').values(visitors.map((value) => ({ workspace_id: ws, kind: 'anonymousId', value, profile_id: 'p', replaced_at: null, created_at: 1 }))).execute().catch(async () => { for (const value of visitors) await database.db.insertInto('identities').values({ workspace_id: ws, kind: 'anonymousId', value, profile_id: 'p', replaced_at: null, created_at: 1 }).execute(); });
const nextId = messageIds();
let v = 0;
const events = (size: number) => Array.from({ length: size }, () => { const m = JSON.parse(trackJson(visitors[v++ % 1000]!, nextId(), v)); return { messageId: m.messageId, type: m.type, event: m.event, name: null, properties: m.properties, traits: null, context: m.context, anonymousId: m.anonymousId, userId: null, source: { kind: 'anonymousId' as const, value: m.anonymousId }, timestamp: Date.parse(m.timestamp), receivedAt: Date.now(), seq: 0 }; });
for (const size of [1, 100]) {
  const reps = Math.round(4000 / size);
  for (const [name, fn] of [['plain', (e: any) => insertEvents(database.db, ws, e)], ['known', (e: any) => insertEventsOfKnownSources(database.db, database.dialect, ws, e)]] as const) {
    for (let i = 0; i < 10; i++) await fn(events(size));
    const batches = Array.from({ length: reps }, () => events(size));
    const c0 = process.cpuUsage(); const t0 = performance.now();
    let n = 0;
    for (const b of batches) n += (await fn(b)).size;
    const c1 = process.cpuUsage(c0);
    console.log(`${database.dialect} batch ${size} ${name}: ${((c1.user + c1.system) / reps).toFixed(0)} µs cpu/stmt, ${((performance.now() - t0) * 1000 / reps).toFixed(0)} µs wall, inserted ${n}/${reps * size}`);
  }
}
await database.close();
