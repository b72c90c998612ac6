import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { markProfilesDirty, readDirty } from '../repos/audience-dirty.js';
import { defaultWorkspace } from '../repos/workspaces.js';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { logStatements } from '../test-support/statement-log.js';
import type { ServiceContext } from './context.js';
import { requestTransaction } from './request-transaction.js';

const databases = await testDatabases();

describe.each(databases)('request transactions on $name', (store) => {
  const t = useTestApp(store);
  const context = async (): Promise<ServiceContext> => ({
    database: t.database,
    workspace: (await defaultWorkspace(t.database.db))!,
    now: () => Date.now(),
    newId: randomUUID,
  });
  const mark = (ctx: ServiceContext, id: string) => markProfilesDirty(ctx.database.db, ctx.workspace.id, [id]);

  it('requests arriving together share one SQLite commit; a failing one is undone alone', async () => {
    const ctx = await context();
    const log = logStatements();
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      outcomes = await Promise.allSettled([
        requestTransaction(ctx, (c) => mark(c, 'p-1')),
        requestTransaction(ctx, async (c) => {
          await mark(c, 'p-2');
          throw new Error('this request fails after writing');
        }),
        requestTransaction(ctx, async (c) => {
          await mark(c, 'p-3');
          return c.inTransaction;
        }),
      ]);
    } finally {
      log.stop();
    }
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const marked = (await readDirty(t.database.db, ctx.workspace.id, 10)).map((m) => m.profileId);
    const commits = log.texts.filter((s) => s.toLowerCase() === 'commit').length;
    if (store.name === 'sqlite') {
      expect(marked).toEqual(['p-1', 'p-3']);
      expect(commits).toBe(1);
      expect((outcomes[2] as PromiseFulfilledResult<unknown>).value).toBe(true);
    } else {
      // PostgreSQL: no request transaction; each write is its own (identity changes take their own, locked ones).
      expect(marked).toEqual(['p-1', 'p-2', 'p-3']);
      expect((outcomes[2] as PromiseFulfilledResult<unknown>).value).toBeUndefined();
    }
  });

  it('a request arriving on the next turn of the event loop joins the commit in progress', async () => {
    const ctx = await context();
    const log = logStatements();
    try {
      // SQLite answers synchronously: without a turn of the event loop before
      // the commit, no other request could have been read off its socket yet.
      const later = new Promise((resolve) => setImmediate(() => resolve(requestTransaction(ctx, (c) => mark(c, 'p-5')))));
      await Promise.all([requestTransaction(ctx, (c) => mark(c, 'p-4')), later]);
    } finally {
      log.stop();
    }
    expect((await readDirty(t.database.db, ctx.workspace.id, 10)).map((m) => m.profileId)).toEqual(['p-4', 'p-5']);
    if (store.name === 'sqlite') expect(log.texts.filter((s) => s.toLowerCase() === 'commit')).toHaveLength(1);
  });

  it.runIf(store.name === 'sqlite')('keeps taking requests that arrive while it has worked less than 25 ms, then commits', async () => {
    const ctx = await context();
    // The group's clock, moved by the requests: each works 8 ms, and the next arrives on the next turn of the loop.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const log = logStatements();
    const answers: Array<Promise<unknown>> = [];
    const arrive = (i: number): void => {
      answers.push(
        requestTransaction(ctx, async (c) => {
          await mark(c, `g-${i}`);
          clock += 8;
          if (i < 6) setImmediate(() => arrive(i + 1));
        }),
      );
    };
    try {
      arrive(1);
      while (answers.length < 6) await new Promise((resolve) => setImmediate(resolve));
      await Promise.all(answers);
    } finally {
      log.stop();
      now.mockRestore();
    }
    // Requests starting at 0, 8, 16 and 24 ms share the first commit; the fifth (32 ms) begins the next.
    const statements = log.texts.map((s) => s.toLowerCase()).filter((s) => s === 'commit' || s.includes('audience_dirty'));
    const sequence = statements.map((s) => (s === 'commit' ? 'commit' : 'mark')).join(' ');
    expect(sequence).toBe('mark mark mark mark commit mark mark commit');
    const marked = (await readDirty(t.database.db, ctx.workspace.id, 10)).map((m) => m.profileId);
    expect(marked).toEqual(['g-1', 'g-2', 'g-3', 'g-4', 'g-5', 'g-6']);
  });

  it('answers a request only once what it wrote is committed, and keeps going after a failure', async () => {
    const ctx = await context();
    await expect(requestTransaction(ctx, () => Promise.reject(new Error('first fails')))).rejects.toThrow('first fails');
    await requestTransaction(ctx, (c) => mark(c, 'p-9'));
    // Read outside any transaction: what the answer promised is there.
    expect((await readDirty(t.database.db, ctx.workspace.id, 10)).map((m) => m.profileId)).toEqual(['p-9']);
  });
});
