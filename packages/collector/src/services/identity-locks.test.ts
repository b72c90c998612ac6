import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { identifierLock, lockKey, LockOrderRestart, createIdentityLocks, lockedTransaction, profileLock } from '../repos/locks.js';
import { defaultWorkspace } from '../repos/workspaces.js';
import { useTestApp } from '../test-support/app.js';
import { PG_TEST_URL, testDatabases } from '../test-support/databases.js';
import { identify, profileOf, usePrimaryKey } from '../test-support/identity.js';
import { identityTransaction } from './identity-transaction.js';
import type { ServiceContext } from './context.js';

// Identity locks are per identifier and per profile (ARCHITECTURE.md
// "Identity locking"): different people are settled side by side, the same
// person's claims and merges still one at a time, and nothing deadlocks.
const databases = await testDatabases();
/** Visitors a person's email (and phone) first arrive from at once. */
const WAVE = [0, 1, 2, 3, 4, 5, 6, 7];
const MOBILE = (i: number) => `+1415555${String(1000 + i)}`;

describe.each(databases)('identity locks on $name', (store) => {
  const t = useTestApp(store);
  const context = async (): Promise<ServiceContext> => ({
    database: t.database,
    workspace: (await defaultWorkspace(t.database.db))!,
    now: () => Date.now(),
    newId: randomUUID,
  });

  it('concurrent identifies of different people and concurrent merges of the same people end in one profile a person, nothing lost', async () => {
    await usePrimaryKey(t, 'email');
    const people = Array.from({ length: 10 }, (_, i) => ({ email: `p${i}-${randomUUID()}@example.com`, phone: MOBILE(i) }));
    // Each person first as two profiles, an identified one (email) and an addressable one (phone), each
    // created by eight visitors at once, every person at once.
    await Promise.all(
      WAVE.flatMap((k) =>
        people.flatMap((p, i) => [
          identify(t, { anonymousId: `e-${i}-${k}`, email: p.email }),
          identify(t, { anonymousId: `m-${i}-${k}`, phone: p.phone }),
        ]),
      ),
    );
    // Then, all at once and interleaved across people: five claims a person each naming both, so five
    // merges race for the same two profiles, while more of that person's visitors identify by email alone.
    await Promise.all(
      [0, 1, 2, 3, 4].flatMap((k) =>
        people.flatMap((p, i) => [
          identify(t, { anonymousId: `both-${i}-${k}`, email: p.email, phone: p.phone }),
          identify(t, { anonymousId: `late-${i}-${k}`, email: p.email }),
        ]),
      ),
    );
    for (const [i, p] of people.entries()) {
      const byEmail = await profileOf(t, 'email', p.email);
      expect(byEmail).toMatchObject({ status: 'identified', email: p.email, phone: p.phone });
      expect((await profileOf(t, 'phone', p.phone))?.id).toBe(byEmail?.id);
      const visitors = WAVE.flatMap((k) => [`e-${i}-${k}`, `m-${i}-${k}`]);
      visitors.push(...[0, 1, 2, 3, 4].flatMap((k) => [`both-${i}-${k}`, `late-${i}-${k}`]));
      expect([...byEmail!.anonymousIds].sort()).toEqual(visitors.sort());
    }
    expect((await t.admin('/api/stats')).body).toMatchObject({ identified: people.length, addressable: 0, anonymous: 0 });
  });

  it('a transaction that needs a lock sorting below one it holds starts over holding both, and runs its work once', async () => {
    const ctx = await context();
    const ws = ctx.workspace.id;
    const names = Array.from({ length: 8 }, () => profileLock(ws, randomUUID())).sort((a, b) => (lockKey(a) < lockKey(b) ? -1 : 1));
    const [low, high] = [names[0]!, names[names.length - 1]!];
    let attempts = 0;
    let finished = 0;
    await identityTransaction(ctx, [], [high.slice(`profile:${ws}:`.length)], async (_trx, locking) => {
      attempts++;
      await locking.profiles([low.slice(`profile:${ws}:`.length)]);
      expect(locking.locks.holds(low) && locking.locks.holds(high)).toBe(true);
      finished++;
    });
    expect(finished).toBe(1);
    expect(attempts).toBe(store.name === 'sqlite' ? 1 : 2);
  });

  it.runIf(store.name === 'postgres')('refuses to wait for a lock that sorts below one held', async () => {
    const ctx = await context();
    const names = Array.from({ length: 8 }, () => identifierLock(ctx.workspace.id, 'email', randomUUID())).sort((a, b) =>
      lockKey(a) < lockKey(b) ? -1 : 1,
    );
    await t.database.db.transaction().execute(async (trx) => {
      const locks = createIdentityLocks(trx, 'postgres', ctx.workspace.id);
      await locks.take([names[3]!]);
      await locks.take([names[5]!, names[7]!]);
      await expect(locks.take([names[4]!])).rejects.toBeInstanceOf(LockOrderRestart);
    });
  });

  it.runIf(store.name === 'postgres')(
    'a transaction begun with its locks restarts after a lock-order refusal, undoing its first try whole',
    async () => {
      const ctx = await context();
      const names = Array.from({ length: 2 }, () => identifierLock(ctx.workspace.id, 'email', randomUUID())).sort((a, b) =>
        lockKey(a) < lockKey(b) ? -1 : 1,
      );
      const id = randomUUID();
      const tries: string[][] = [];
      await identityTransaction(ctx, [], [], async (trx, locking) => {
        tries.push([]);
        await trx
          .insertInto('profiles')
          .values({ workspace_id: ctx.workspace.id, id, status: 'anonymous', traits: '{}', created_at: 1, updated_at: 1 })
          .execute();
        // The first try takes the higher lock, then needs the lower one: it is rolled back and run again holding both.
        await locking.locks.take([names[1]!]);
        await locking.locks.take([names[0]!]);
        tries.at(-1)!.push(...names.filter((n) => locking.locks.holds(n)));
      });
      expect(tries).toEqual([[], names]);
      // The first try's insert was undone (the second would have hit its key), and the locks went with the commit.
      expect(await t.database.db.selectFrom('profiles').select('id').where('id', '=', id).execute()).toHaveLength(1);
      const other = new pg.Client({ connectionString: PG_TEST_URL });
      await other.connect();
      try {
        const { rows } = await other.query('select pg_try_advisory_lock($1::int8) as ok', [String(lockKey(names[0]!))]);
        expect(rows[0].ok).toBe(true);
      } finally {
        await other.end();
      }
    },
  );

  it.runIf(store.name === 'postgres')('an identify waits only for the lock of its own identifier, not for the workspace', async () => {
    const ctx = await context();
    const [ana, bo] = [`ana-${randomUUID()}@example.com`, `bo-${randomUUID()}@example.com`];
    const key = lockKey(identifierLock(ctx.workspace.id, 'email', ana));
    const holder = new pg.Client({ connectionString: PG_TEST_URL });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1::int8)', [String(key)]);
      let anaDone = false;
      const anaIdentify = identify(t, { anonymousId: 'ana-tab', email: ana }).then(() => {
        anaDone = true;
      });
      // Until its backend is seen waiting on that very key (an int8 key is two 32-bit halves in pg_locks).
      const halves = [String(Number(BigInt.asUintN(64, key) >> 32n)), String(Number(BigInt.asUintN(32, key)))];
      for (;;) {
        const waiting = await holder.query(
          "select 1 from pg_locks where locktype = 'advisory' and not granted and classid::text = $1 and objid::text = $2",
          halves,
        );
        if (waiting.rowCount) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // Another person's identify goes through meanwhile: no lock of the workspace stands in its way.
      await identify(t, { anonymousId: 'bo-tab', email: bo });
      expect((await profileOf(t, 'email', bo))?.anonymousIds).toEqual(['bo-tab']);
      expect(anaDone).toBe(false);
      await holder.query('select pg_advisory_unlock($1::int8)', [String(key)]);
      await anaIdentify;
      expect((await profileOf(t, 'email', ana))?.anonymousIds).toEqual(['ana-tab']);
    } finally {
      await holder.end();
    }
  });

  it.runIf(store.name === 'postgres')(
    "a group's tried first locks take its identifiers' owners too, each by the key lockKey makes, or fail when one is busy",
    async () => {
      const ctx = await context();
      const ws = ctx.workspace.id;
      const cy = `cy-${randomUUID()}@example.com`;
      await identify(t, { anonymousId: 'cy-tab', email: cy });
      const owner = (await profileOf(t, 'email', cy))!.id;
      const ids = [
        { kind: 'email' as const, value: cy },
        { kind: 'anonymousId' as const, value: 'cy-phone' },
      ];
      const names = [identifierLock(ws, 'email', cy), identifierLock(ws, 'anonymousId', 'cy-phone')];
      const other = new pg.Client({ connectionString: PG_TEST_URL });
      await other.connect();
      const tryLock = async (name: string) =>
        (await other.query('select pg_try_advisory_lock($1::int8) as ok', [String(lockKey(name))])).rows[0].ok as boolean;
      try {
        await lockedTransaction(
          t.database.db,
          ws,
          names,
          async (trx) => {
            await sql`select 1`.execute(trx);
            expect(await tryLock(profileLock(ws, owner))).toBe(false);
            for (const name of names) expect(await tryLock(name)).toBe(false);
          },
          { wait: false, ownersOf: ids },
        );
        // Committed: every lock went with it.
        expect(await tryLock(profileLock(ws, owner))).toBe(true);
        // Now held elsewhere (by `other`): the group's locks fail at once, having waited for nothing.
        const tried = lockedTransaction(t.database.db, ws, names, (trx) => sql`select 1`.execute(trx), { wait: false, ownersOf: ids });
        await expect(tried).rejects.toMatchObject({ code: '55P03' });
        await other.query('select pg_advisory_unlock($1::int8)', [String(lockKey(profileLock(ws, owner)))]);
      } finally {
        await other.end();
      }
    },
  );
});
