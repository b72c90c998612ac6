import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultWorkspace } from '../repos/workspaces.js';
import { createTestApp, type TestApp, useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, logOf, profileOf } from '../test-support/identity.js';
import { importCsv, streamOf } from '../test-support/imports.js';
import { csvContacts, csvReading } from './csv-contacts.js';
import { runImport } from './import-contacts.js';
import { importChunk, LOG_ROWS_A_WRITE, PART_ROWS, STORE_ROWS_A_CHUNK } from './import-chunk.js';
import { importItem } from '../domain/import/read-row.js';
import { insertImport } from '../repos/imports.js';
import { sql } from 'kysely';
import { parseJson } from '../repos/json.js';
import { logStatements } from '../test-support/statement-log.js';
import { singleNodePostgres } from '../repos/insert-rows.js';
import { lockIdentityGraph } from '../repos/locks.js';
import { memberIds, saveSegment } from '../test-support/audience.js';

const databases = await testDatabases();

/** A promise (`passed`) that settles when `open` is called. */
function gate() {
  let open!: () => void;
  const passed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { passed, open };
}

// Every case a chunk meets: fresh rows, a repeat of a fresh row (two rows of one person), a
// match of a stored profile, a conflict, a merge of a stored walk-in, a merge of two profiles
// created earlier in the chunk, rejected rows, and an opt-out on a fresh row.
const CSV = [
  'email,phone,plan,email_opt_out',
  'new@example.com,,gold,', // 1 created
  'new@example.com,+1 415 555 2673,silver,', // 2 matched: row 1's profile gains a mobile
  'ana@example.com,,silver,', // 3 matched: a stored profile
  'cy@example.com,+1 415 555 2671,,', // 4 conflict: Ana's mobile
  'ana@example.com,+1 415 555 2672,,', // 5 merged: the stored walk-in
  'not-an-email,,,', // 6 rejected
  'dee@example.com,,,', // 7 created
  ',+1 415 555 2674,,', // 8 created, addressable
  'dee@example.com,+1 415 555 2674,,', // 9 merged: rows 7 and 8
  'eve@example.com,+1 415 555 2675,gold,true', // 10 created, suppressed on email
  'test@test.com,,,', // 11 rejected: block list
  'fay@example.com,+1 415 555 2675,,', // 12 conflict: row 10's mobile
  ',+1 415 555 2676,,', // 13 created, addressable
  'gil@example.com,+1 415 555 2676,,', // 14 matched: row 13's profile gains an email and becomes identified
].join('\n');
const PEOPLE: Array<['email' | 'phone', string]> = [
  ...['new', 'ana', 'cy', 'dee', 'eve', 'fay', 'gil'].map((n): ['email', string] => ['email', `${n}@example.com`]),
  ...['2671', '2672', '2673', '2674', '2675', '2676'].map((n): ['phone', string] => ['phone', `+1415555${n}`]),
];

async function seed(t: TestApp) {
  // Subscribed to everything, so what the import announces (status changes, merges) is compared too.
  const hook = await t.admin('/api/webhooks', { method: 'POST', body: { url: 'https://hooks.example.com/threadline', events: ['*'] } });
  expect(hook.status).toBe(201);
  await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: '+14155552671' });
  await identify(t, { anonymousId: 'w1', phone: '+14155552672' });
}

/** Each person's profile as the API shows it, with its log as types and outcomes (ids differ between stores). */
async function snapshot(t: TestApp) {
  const people: Record<string, unknown> = {};
  for (const [kind, value] of PEOPLE) {
    const p = await profileOf(t, kind, value);
    if (!p) continue;
    const log = (await logOf(t, p.id)).map((e) =>
      e.type === 'imported'
        ? `imported:${e.details.row}:${e.details.outcome}`
        : e.type === 'identifier_added'
          ? `added:${e.details.value}`
          : e.type,
    );
    const { id: _id, ...shown } = p;
    people[`${kind}:${value}`] = { ...shown, anonymousIds: [...p.anonymousIds].sort(), log };
  }
  // Queued deliveries: which events, and each status change's from → to (ids and order differ between stores and paths).
  const queued = await t.database.db.selectFrom('webhook_deliveries').select(['type', 'body']).execute();
  const announced = queued
    .map(({ type, body }) => {
      const { from, to } = JSON.parse(body).data;
      return type === 'profile.status_changed' ? `${type}:${from}->${to}` : type;
    })
    .sort();
  const all = {
    people,
    stats: (await t.admin('/api/stats')).body,
    suppressions: (await t.admin('/api/suppressions')).body,
    announced,
  };
  // Profile and import ids differ between the two stores: each becomes its order of first appearance.
  const seen = new Map<string, string>();
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const token = (id: string) => {
    if (!seen.has(id)) seen.set(id, `#${seen.size}`);
    return seen.get(id)!;
  };
  return JSON.parse(JSON.stringify(all).replace(uuid, token));
}

describe.each(databases)('an import chunk on $name', (store) => {
  const t = useTestApp(store);
  /** The default workspace's service context at a fixed clock, and a new import to settle chunks into. */
  const chunkContext = async () => {
    const workspace = (await defaultWorkspace(t.database.db))!;
    const ctx = { database: t.database, workspace, now: () => Date.UTC(2026, 0, 2), newId: randomUUID };
    const newImport = async () => {
      const importId = randomUUID();
      await insertImport(t.database.db, workspace.id, { id: importId, source: 'bulk', now: ctx.now() });
      return importId;
    };
    return { workspace, ctx, newImport };
  };

  it('gives the same profiles, logs and report for a mixed chunk as settling its rows one by one', async () => {
    const rowByRow = await createTestApp(await store.open());
    try {
      await seed(t);
      await seed(rowByRow);
      const chunk = await importCsv(t, CSV);
      // The reference: the same file through the same import, one row a transaction.
      const workspace = (await defaultWorkspace(rowByRow.database.db))!;
      const ctx = { database: rowByRow.database, workspace, now: () => Date.UTC(2026, 0, 1, 12), newId: randomUUID };
      const meta = {};
      const single = await runImport(ctx, 'csv', csvContacts(streamOf([CSV]), 1 << 20, 1, csvReading(ctx), meta), meta);

      const { id: _a, createdAt: _b, finishedAt: _c, ...report } = chunk as typeof chunk & Record<string, unknown>;
      expect(report).toMatchObject({ rows: 14, created: 5, matched: 3, merged: 2, conflicts: 2, rejected: 2, status: 'done' });
      expect(single).toMatchObject({ ...report, rejectionsNext: null });
      const [bulk, reference] = [await snapshot(t), await snapshot(rowByRow)];
      expect(bulk).toEqual(reference);
      // The cases the file means to cover did happen.
      expect(bulk.people['email:dee@example.com']).toMatchObject({ phone: '+14155552674', status: 'identified' });
      expect(bulk.people['email:new@example.com']).toMatchObject({ phone: '+14155552673', traits: { plan: 'silver' } });
      expect(bulk.people['email:ana@example.com']).toMatchObject({ phone: '+14155552672', anonymousIds: ['a1', 'w1'] });
      expect(bulk.people['email:fay@example.com']).toMatchObject({ phone: null });
      expect(JSON.stringify(bulk.suppressions)).toContain('eve@example.com');
      // Row 14 makes row 13's profile identified, row 9 merges rows 7 and 8: both happen to profiles not yet written.
      expect(bulk.announced).toContain('profile.status_changed:addressable->identified');
      expect(bulk.announced.filter((d: string) => d === 'profile.merged').length).toBeGreaterThanOrEqual(2);
    } finally {
      await rowByRow.database.close();
    }
  });
  it('ends a chunk early after STORE_ROWS_A_CHUNK rows settled against stored profiles, and settles the rest in the next', async () => {
    const n = STORE_ROWS_A_CHUNK + 10;
    const emails = Array.from({ length: n }, (_, i) => `p${i}@example.com`);
    expect(await importCsv(t, ['email', ...emails].join('\n'))).toMatchObject({ rows: n, created: n });
    // Every row now matches a stored profile and changes its traits: more rows need the store than one chunk settles.
    const again = await importCsv(t, ['email,plan', ...emails.map((e) => `${e},gold`)].join('\n'));
    expect(again).toMatchObject({ rows: n, created: 0, matched: n, rejected: 0, status: 'done' });
    for (const e of [emails[0]!, emails[STORE_ROWS_A_CHUNK - 1]!, emails[STORE_ROWS_A_CHUNK]!, emails[n - 1]!]) {
      const p = await profileOf(t, 'email', e);
      expect(p?.traits).toEqual({ plan: 'gold' });
      const imported = (await logOf(t, p!.id)).filter((l) => l.type === 'imported' && l.details.importId === again.id);
      expect(imported).toHaveLength(1);
    }
    // The chunk itself stops at the bound and says how far it got.
    const { ctx, newImport } = await chunkContext();
    const importId = await newImport();
    const items = emails.map((email, i) => importItem(i + 1, { email, traits: { plan: 'silver' } }));
    const first = await importChunk(ctx, importId, items);
    expect(first).toMatchObject({ settled: STORE_ROWS_A_CHUNK, counts: { matched: STORE_ROWS_A_CHUNK } });
    expect(await importChunk(ctx, importId, items.slice(first.settled))).toMatchObject({ settled: 10, counts: { matched: 10 } });
  });

  it('writes the log of rows settled early while later rows are settled, and a failed early write rolls the whole chunk back', async () => {
    const n = 2 * LOG_ROWS_A_WRITE + 10;
    const { ctx, newImport } = await chunkContext();
    const items = Array.from({ length: n }, (_, i) => importItem(i + 1, { email: `early${i}@example.com`, traits: {} }));
    const chunk = async () => {
      const importId = await newImport();
      return { importId, result: await importChunk(ctx, importId, items).catch((err: Error) => err) };
    };
    const importedRows = async (importId: string) =>
      (await t.database.db.selectFrom('contact_log').select('details').where('type', '=', 'imported').execute())
        .map((r) => parseJson(r.details, { importId: '', row: 0 }))
        .filter((d) => d.importId === importId)
        .map((d) => d.row);
    const profiles = async () => Number((await sql<{ n: number }>`select count(*) as n from profiles`.execute(t.database.db)).rows[0]!.n);

    // The store refuses the `imported` entry of row 5, which goes out with the first rows, before the chunk's end.
    const refuse =
      t.database.dialect === 'sqlite'
        ? [
            sql`create trigger refuse_log before insert on contact_log when new.details like '%"row":5,%' begin select raise(abort, 'log refused'); end`,
          ]
        : [
            sql`create function refuse_log() returns trigger language plpgsql as $$ begin if new.details->>'row' = '5' then raise exception 'log refused'; end if; return new; end $$`,
            sql`create trigger refuse_log before insert on contact_log for each row execute function refuse_log()`,
          ];
    for (const statement of refuse) await statement.execute(t.database.db);
    const before = await profiles();
    const failed = await chunk();
    expect(failed.result).toBeInstanceOf(Error);
    expect(String(failed.result)).toContain('log refused');
    // Nothing of the chunk stays: no profile, no log entry.
    expect(await profiles()).toBe(before);
    expect(await importedRows(failed.importId)).toEqual([]);

    await sql`drop trigger refuse_log${sql.raw(t.database.dialect === 'sqlite' ? '' : ' on contact_log')}`.execute(t.database.db);
    const done = await chunk();
    expect(done.result).toMatchObject({ settled: n, counts: { created: n } });
    // Every row's entry, once, across the writes sent during the chunk and the one at its end.
    expect((await importedRows(done.importId)).sort((a, b) => a - b)).toEqual(items.map((i) => i.row));
    expect(await profiles()).toBe(before + n);
  });

  it("writes a part's new profiles while the next part is settled, and a later part's rows change them through the store", async () => {
    const { ctx, newImport } = await chunkContext();
    const items = Array.from({ length: PART_ROWS }, (_, i) =>
      importItem(i + 1, { email: `part${i}@example.com`, traits: { plan: 'free' } }),
    );
    items.push(
      // Row 1's profile, written at the end of the first part, gains a mobile and a plan.
      importItem(PART_ROWS + 1, { email: 'part0@example.com', phone: '+14155552681', traits: { plan: 'gold' } }),
      // A walk-in held in the second part, then merged with row 2's profile of the first part.
      importItem(PART_ROWS + 2, { phone: '+14155552682', traits: {} }),
      importItem(PART_ROWS + 3, { email: 'part1@example.com', phone: '+14155552682', traits: {} }),
      // Row 3's email beside row 1's mobile: two people, the merge is refused.
      importItem(PART_ROWS + 4, { email: 'part2@example.com', phone: '+14155552681', traits: {} }),
      // Row 4's profile opts out of email.
      importItem(PART_ROWS + 5, { email: 'part3@example.com', traits: {}, optOuts: [{ channel: 'email', field: 'email_opt_out' }] }),
    );
    const importId = await newImport();
    const result = await importChunk(ctx, importId, items);
    expect(result).toMatchObject({ settled: PART_ROWS + 5, counts: { created: PART_ROWS + 1, matched: 2, merged: 1, conflicts: 1 } });
    expect(await profileOf(t, 'email', 'part0@example.com')).toMatchObject({ phone: '+14155552681', traits: { plan: 'gold' } });
    const merged = await profileOf(t, 'phone', '+14155552682');
    expect(merged).toMatchObject({ email: 'part1@example.com', status: 'identified' });
    expect((await logOf(t, merged!.id)).map((e) => e.type)).toContain('merged');
    expect(await profileOf(t, 'email', `part${PART_ROWS - 1}@example.com`)).toMatchObject({ traits: { plan: 'free' } });
    expect(await profileOf(t, 'email', 'part2@example.com')).toMatchObject({ phone: null });
    const suppressions = await t.admin('/api/suppressions');
    expect(JSON.stringify(suppressions.body)).toContain('part3@example.com');
  });

  it('hands the caller a turn once its last writes are sent, before it commits: the next chunk is read while the store writes', async () => {
    const { ctx, newImport } = await chunkContext();
    const items = [importItem(1, { email: 'turn1@example.com', traits: {} }), importItem(2, { field: 'email', reason: 'invalid email' })];
    const importId = await newImport();
    const log = logStatements();
    const seen: string[][] = [];
    const result = await importChunk(ctx, importId, items, undefined, () => seen.push([...log.texts])).finally(() => log.stop());
    expect(result).toMatchObject({ settled: 2, counts: { created: 1, rejected: 1 } });
    expect(seen).toHaveLength(1);
    // The commit comes after: on PostgreSQL the last writes (the rejection among them) are already on their way.
    expect(seen[0]!).not.toContain('commit');
    expect(log.texts).toContain('commit');
    if (t.database.dialect === 'postgres') expect(seen[0]!.some((text) => text.includes('insert into "import_rejections"'))).toBe(true);
    expect(await profileOf(t, 'email', 'turn1@example.com')).toBeDefined();
  });

  it("writes a new profile's identifier as a plain insert only when no row of it exists, retired ones and those the chunk wrote included", async () => {
    const m = (n: number) => `+1415555269${n}`;
    // Ana's first mobile is retired before the import.
    await importCsv(t, `email,phone\nana@example.com,${m(1)}\n`);
    await importCsv(t, `email,phone\nana@example.com,${m(2)}\n`);
    const log = logStatements();
    const report = await importCsv(
      t,
      [
        'email,phone',
        `,${m(1)}`, // 1 a walk-in with the mobile retired before the import
        `bo@example.com,${m(3)}`, // 2 created: no row of either
        `bo@example.com,${m(4)}`, // 3 matched: row 2's profile, written first, gets a new mobile and row 2's is retired
        `,${m(3)}`, // 4 a walk-in with the mobile retired by row 3
        `ana@example.com,${m(6)}`, // 5 matched: Ana's new mobile, written against the store
        `ana@example.com,${m(7)}`, // 6 matched: and replaced again, retiring row 5's
        `,${m(6)}`, // 7 a walk-in with the mobile retired by row 6
        `cy@example.com,${m(8)}`, // 8 created: no row of either
      ].join('\n'),
    ).finally(() => log.stop());
    expect(report).toMatchObject({ status: 'done', created: 5, matched: 3, rejected: 0 });
    for (const n of [1, 3, 6]) expect(await profileOf(t, 'phone', m(n))).toMatchObject({ email: null, status: 'addressable' });
    expect(await profileOf(t, 'email', 'ana@example.com')).toMatchObject({ phone: m(7) });
    expect(await profileOf(t, 'email', 'bo@example.com')).toMatchObject({ phone: m(4) });
    expect(await profileOf(t, 'email', 'cy@example.com')).toMatchObject({ phone: m(8) });
    if (singleNodePostgres(t.database.db)) {
      // Each statement of what was sent (a pipeline's are joined by "; ") that writes identity rows.
      const writes = log.texts
        .flatMap((text) => text.split(/; (?=insert|update|select|delete)/))
        .filter((q) => q.startsWith('insert into "identities"'));
      expect(writes.some((q) => !q.includes('on conflict'))).toBe(true);
      expect(writes.some((q) => q.includes('on conflict'))).toBe(true);
    }
  });

  it('marks its profiles for the audience pass only when a saved segment or an enabled trigger reads the marks', async () => {
    const marksSent = async (csv: string) => {
      const log = logStatements();
      await importCsv(t, csv).finally(() => log.stop());
      return log.texts.filter((text) => text.includes('insert into "audience_dirty"')).length;
    };
    expect(await marksSent('email\nmark1@example.com\n')).toBe(0);
    const trigger = await t.admin('/api/triggers', {
      method: 'POST',
      body: { name: 'Welcome', condition: { has: 'email' }, channel: 'email', waitFor: { hours: 1 } },
    });
    expect(trigger.status).toBe(201);
    expect(await marksSent('email\nmark2@example.com\n')).toBeGreaterThan(0);
    expect((await t.admin(`/api/triggers/${trigger.body.id}`, { method: 'PATCH', body: { enabled: false } })).status).toBe(200);
    expect(await marksSent('email\nmark3@example.com\n')).toBe(0);
    // A saved segment reads them too, and its live membership takes in what later imports bring.
    const segment = await saveSegment(t, { has: 'email' });
    expect(await marksSent('email\nmark4@example.com\n')).toBeGreaterThan(0);
    const members = await memberIds(t, segment);
    for (const n of [1, 2, 3, 4]) expect(members).toContain((await profileOf(t, 'email', `mark${n}@example.com`))!.id);
  });

  it('saves a segment or a trigger only after an import chunk in flight has committed (PostgreSQL: the graph lock, shared)', async () => {
    if (t.database.dialect !== 'postgres') return;
    const { workspace } = await chunkContext();
    const waiting = async () =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from pg_locks where locktype = 'advisory' and not granted`.execute(t.database.db))
          .rows[0]!.n,
      );
    for (const save of [
      () => t.admin('/api/segments', { method: 'POST', body: { name: 'During', definition: { has: 'email' } } }),
      () =>
        t.admin('/api/triggers', {
          method: 'POST',
          body: { name: 'During', condition: { has: 'email' }, channel: 'email', waitFor: { hours: 1 } },
        }),
    ]) {
      // A chunk in flight: the workspace's graph lock held exclusively until released.
      const released = gate();
      const holding = gate();
      const chunk = t.database.db.transaction().execute(async (trx) => {
        await lockIdentityGraph(trx, 'postgres', workspace.id);
        holding.open();
        await released.passed;
      });
      await holding.passed;
      let answered = false;
      const saved = save().then((res) => {
        answered = true;
        return res;
      });
      // Until the save waits for the lock, or has answered without waiting.
      while (!answered && (await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(answered).toBe(false);
      released.open();
      await chunk;
      expect((await saved).status).toBe(201);
    }
  });

  it("sends a chunk's last writes together (one pipeline on PostgreSQL), and one failing among them rolls the chunk back", async () => {
    // A saved segment, so the chunk's audience marks are among its last writes.
    await saveSegment(t, { has: 'email' });
    const { ctx, newImport } = await chunkContext();
    const items = [
      importItem(1, { email: 'last1@example.com', traits: { plan: 'gold' } }),
      importItem(2, { email: 'last2@example.com', phone: '+14155552677', traits: {} }),
      importItem(3, { field: 'email', reason: 'invalid email' }),
    ];
    const chunk = async () => {
      const importId = await newImport();
      return importChunk(ctx, importId, items).catch((err: Error) => err);
    };
    // The rejection is the only thing written after the profiles, identities, log and marks: refused, it must take them along.
    const refuse =
      t.database.dialect === 'sqlite'
        ? [sql`create trigger refuse_rejection before insert on import_rejections begin select raise(abort, 'rejection refused'); end`]
        : [
            sql`create function refuse_rejection() returns trigger language plpgsql as $$ begin raise exception 'rejection refused'; end $$`,
            sql`create trigger refuse_rejection before insert on import_rejections for each row execute function refuse_rejection()`,
          ];
    for (const statement of refuse) await statement.execute(t.database.db);
    const failed = await chunk();
    expect(String(failed)).toContain('rejection refused');
    expect(await profileOf(t, 'email', 'last1@example.com')).toBeUndefined();
    expect(await profileOf(t, 'phone', '+14155552677')).toBeUndefined();

    await sql`drop trigger refuse_rejection${sql.raw(t.database.dialect === 'sqlite' ? '' : ' on import_rejections')}`.execute(
      t.database.db,
    );
    // A prepared text's first use on a connection goes alone, to be parsed (db/prepared-statements.ts), and the
    // failed chunk never reached its marks: a chunk of other people first, so the one logged runs on a warm connection.
    expect(await importChunk(ctx, await newImport(), [importItem(1, { email: 'warm@example.com', traits: {} })])).toMatchObject({
      settled: 1,
    });
    const log = logStatements();
    const done = await chunk().finally(() => log.stop());
    expect(done).toMatchObject({ settled: 3, counts: { created: 2, rejected: 1 } });
    expect(await profileOf(t, 'email', 'last1@example.com')).toMatchObject({ traits: { plan: 'gold' } });
    expect(await profileOf(t, 'email', 'last2@example.com')).toMatchObject({ phone: '+14155552677' });
    const last = [
      'insert into "profiles"',
      'insert into "identities"',
      'insert into "contact_log"',
      'insert into "import_rejections"',
      'update "imports"',
      'insert into "audience_dirty"',
    ];
    const sentWith = (part: string) => log.texts.filter((text) => text.includes(part));
    if (singleNodePostgres(t.database.db)) {
      // One text sent (a pipeline's statements joined) carries them all: no round trip between them.
      expect(log.texts.filter((text) => last.every((part) => text.includes(part)))).toHaveLength(1);
    } else {
      for (const part of last) expect(sentWith(part).length).toBeGreaterThan(0);
    }
  });
});
