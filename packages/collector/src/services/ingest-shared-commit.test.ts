import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { logStatements } from '../test-support/statement-log.js';

// Known visitors' batches on SQLite join the store's shared transaction
// (services/request-transaction.ts) whole: requests that arrive together
// commit once, each answered only after that commit.
const databases = await testDatabases();

describe.each(databases)('known visitors’ batches arriving together on $name', (store) => {
  const t = useTestApp(store);
  const track = (anonymousId: string, messageId: string) => ({ type: 'track', event: 'Product Viewed', anonymousId, messageId });

  it('are stored whole, a repeat acknowledged, and on SQLite all in one commit', async () => {
    await t.send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'k-1', messageId: 'seed-1' },
        { type: 'page', anonymousId: 'k-2', messageId: 'seed-2' },
      ],
    });
    const log = logStatements();
    let answers: unknown[];
    try {
      const responses = await Promise.all(
        [0, 1, 2].map((r) =>
          t.send('/v1/batch', {
            batch: [track('k-1', `m-${r}-a`), track('k-2', `m-${r}-b`), track('new-visitor', `m-${r}-c`), track('k-1', 'seed-1')],
          }),
        ),
      );
      answers = await Promise.all(responses.map((res) => res.json()));
    } finally {
      log.stop();
    }
    // The last message repeats the seeded page's messageId under the same visitor: acknowledged, not stored twice.
    for (const a of answers) expect(a).toMatchObject({ success: true, accepted: 3, duplicates: 1, rejected: [] });
    const stored = await t.database.db
      .selectFrom('events')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(2 + 9);
    if (store.name !== 'sqlite') return;
    const texts = log.texts.map((s) => s.toLowerCase());
    expect(texts.filter((s) => s.startsWith('begin'))).toEqual(['begin immediate']);
    expect(texts.filter((s) => s === 'commit')).toHaveLength(1);
    // Every event written (the fast path's statements and the new visitor's) is inside it.
    const [begin, commit] = [texts.indexOf('begin immediate'), texts.indexOf('commit')];
    const writes = texts.flatMap((s, i) => (s.includes('insert into events') || s.includes('insert into "events"') ? [i] : []));
    expect(writes.length).toBeGreaterThanOrEqual(4);
    for (const i of writes) expect(i > begin && i < commit).toBe(true);
  });
});
