import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { clearDirty, markAnonymousIdsDirty, markProfilesDirty, readDirty } from '../repos/audience-dirty.js';
import { useTestApp } from '../test-support/app.js';
import { HOUR, outbox, saveSegment, workspaceIdOf } from '../test-support/audience.js';
import { getWorkspace } from '../repos/workspaces.js';
import { settleAudiences } from './audience-pass.js';
import { testDatabases } from '../test-support/databases.js';
import { profileOf, track } from '../test-support/identity.js';
import { createAudienceWorker } from './audience-worker.js';
import { logStatements } from '../test-support/statement-log.js';

vi.mock('../repos/outbox.js', async () => ({ appendOutbox: (await import('../test-support/audience.js')).recordOutbox }));

const databases = await testDatabases();

describe.each(databases)('audience worker on $name', (store) => {
  const t = useTestApp(store);

  it('keeps membership current on its own schedule, with an injected clock', async () => {
    const id = await saveSegment(t, { event: 'Product Added', within: { hours: 1 } });
    await track(t, 'v-1', 'Product Added');
    let clock = Date.UTC(2026, 0, 1, 12);
    const worker = createAudienceWorker({
      database: t.database,
      logger: pino({ level: 'silent' }),
      now: () => clock,
      newId: randomUUID,
      intervalMs: 10,
    });
    const rows = async () =>
      (await t.database.db.selectFrom('segment_members').select('profile_id').where('segment_id', '=', id).execute()).length;

    expect(await worker.runOnce()).toMatchObject({ checked: 1 });
    expect(await rows()).toBe(1);
    expect(await readDirty(t.database.db, await workspaceIdOf(t), 10)).toEqual([]);

    clock += HOUR + 1;
    worker.start();
    await expect.poll(rows).toBe(0);
    await worker.stop();
  });

  it('clears only the marks a pass read: a mark made meanwhile survives', async () => {
    await track(t, 'v-1', 'Product Added');
    const ws = await workspaceIdOf(t);
    const visitor = (await profileOf(t, 'anonymousId', 'v-1'))!;
    await clearDirty(t.database.db, ws, await readDirty(t.database.db, ws, 10));

    await markProfilesDirty(t.database.db, ws, [visitor.id]);
    const seen = await readDirty(t.database.db, ws, 10);
    await markAnonymousIdsDirty(t.database.db, ws, ['v-1', 'v-unknown']); // the same profile, marked again during the pass
    await clearDirty(t.database.db, ws, seen);
    expect((await readDirty(t.database.db, ws, 10)).map((m) => m.profileId)).toEqual([visitor.id]);
  });

  it('announces a change once when two passes run at once (two collector processes)', async () => {
    await saveSegment(t, { event: 'Product Added' });
    await track(t, 'v-1', 'Product Added');
    outbox.length = 0;
    const workspace = (await getWorkspace(t.database.db, await workspaceIdOf(t)))!;
    const ctx = { database: t.database, workspace, now: () => Date.UTC(2026, 0, 1, 12), newId: randomUUID };
    const results = await Promise.all([settleAudiences(ctx), settleAudiences(ctx), settleAudiences(ctx)]);
    expect(results.reduce((n, r) => n + r.announced, 0)).toBe(1);
    expect(outbox.map((e) => e.type)).toEqual(['segment.entered']);
  });

  it('checks a batch of marked profiles with the planner costs for a few profiles, inside the batch transaction (PostgreSQL)', async () => {
    await saveSegment(t, { event: 'Product Added' });
    await track(t, 'v-1', 'Product Added');
    const workspace = (await getWorkspace(t.database.db, await workspaceIdOf(t)))!;
    const ctx = { database: t.database, workspace, now: () => Date.UTC(2026, 0, 1, 12), newId: randomUUID };
    const log = logStatements();
    try {
      expect(await settleAudiences(ctx)).toMatchObject({ checked: 1 });
    } finally {
      log.stop();
    }
    const set = log.texts.indexOf('set local random_page_cost = 1.1');
    if (store.name === 'sqlite') return expect(set).toBe(-1);
    // After the batch's lock and before its first segment query, in the same transaction.
    const begin = log.texts.lastIndexOf('begin', set);
    expect(set).toBeGreaterThan(-1);
    expect(log.texts.slice(begin, set).some((q) => q.includes('pg_advisory_xact_lock'))).toBe(true);
    expect(log.texts.slice(begin, set)).not.toContain('commit');
    expect(log.texts.slice(set).findIndex((q) => q.includes('segment_members'))).toBeGreaterThan(0);
  });
});
