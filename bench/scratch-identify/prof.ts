import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
const require = createRequire(import.meta.url);
const sqls = new Map<string, number>();
let count = 0;
const times = new Map<string, number>();
const commits: number[] = [];
const record = (s: string, us = 0) => { count++; const k = s.replace(/\s+/g, ' ').slice(0, 110); sqls.set(k, (sqls.get(k) ?? 0) + 1); times.set(k, (times.get(k) ?? 0) + us); };
const SQLite = require('better-sqlite3');
const probe = new SQLite(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1'));
for (const name of ['run', 'all', 'get', 'iterate']) { const o = proto[name]; proto[name] = function (this: any, ...a: any[]) { const t = performance.now(); const r = o.apply(this, a); record(this.source, (performance.now() - t) * 1000); if (this.source === 'commit') commits.push((performance.now() - t) * 1000); return r; }; }
const pg = require('pg');
const oq = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: any, q: any, ...rest: any[]) { record(typeof q === 'string' ? q : q.text); return oq.call(this, q, ...rest); };
const { openDatabase } = await import('../../packages/collector/src/db/connection.js');
const { createApp } = await import('../../packages/collector/src/app.js');
const { ensureDefaultWorkspace } = await import('../../packages/collector/src/repos/workspaces.js');
const loc = process.env.LOC ?? join(mkdtempSync(join(tmpdir(), 'idprof-')), 'x.db');
const database = await openDatabase(loc);
if (process.env.PRAGMA) { const { sql } = await import('kysely'); for (const p of process.env.PRAGMA.split(';')) console.log(p, await sql.raw(`pragma ${p}`).execute(database.db)); }
const { workspace } = await ensureDefaultWorkspace(database.db, {}, Date.now());
const app = createApp({ database, logger: pino({ level: 'silent' }), now: Date.now, newId: randomUUID, sdkScriptPath: '/nonexistent' });
const N = Number(process.env.N ?? 1000);
const ids = Array.from({ length: N }, () => randomUUID());
const post = (batch: unknown[]) => app.request('/v1/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ writeKey: workspace.writeKey, batch }) });
for (let i = 0; i < N; i += 250) await post(ids.slice(i, i + 250).map((a) => ({ type: 'page', anonymousId: a, messageId: randomUUID(), properties: { path: '/' } })));
const body = (a: string, i: number) => [{ type: 'identify', anonymousId: a, messageId: randomUUID(), traits: { email: `v${i}-${randomUUID()}@bench.example`, first_name: 'Ana' } }];
// warm
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
if (process.env.PROF) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
sqls.clear(); times.clear(); count = 0;
const conc = Number(process.env.C ?? 1);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let next = 0;
await Promise.all(Array.from({ length: conc }, async () => { while (next < N) { const i = next++; const r = await post(body(ids[i]!, i)); if (r.status !== 200) throw new Error(await r.text()); } }));
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (process.env.PROF) { const { profile } = await session.post('Profiler.stop'); (await import('node:fs')).mkdirSync(process.env.PROF, { recursive: true }); (await import('node:fs')).writeFileSync(process.env.PROF + '/p.cpuprofile', JSON.stringify(profile)); }
console.log(`${N} identifies, ${conc} concurrent: ${(N / (ms / 1000)).toFixed(0)}/s, ${(ms / N).toFixed(3)} ms each, ${(count / N).toFixed(1)} statements each, cpu ${((cpu.user + cpu.system) / N).toFixed(0)} µs each (user ${(cpu.user / N).toFixed(0)})`);
if (!process.env.QUIET) for (const [k, v] of [...sqls].sort((a, b) => b[1] - a[1])) console.log((v / N).toFixed(2), ((times.get(k) ?? 0) / v).toFixed(0).padStart(5) + 'µs', k);
commits.sort((a, b) => a - b); console.log('commit p50', commits[commits.length >> 1]?.toFixed(0), 'p90', commits[Math.floor(commits.length * 0.9)]?.toFixed(0), 'p99', commits[Math.floor(commits.length * 0.99)]?.toFixed(0), 'max', commits.at(-1)?.toFixed(0));
await database.close();
