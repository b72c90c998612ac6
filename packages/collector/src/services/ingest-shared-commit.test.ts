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

  const batch = (r: number) => ({
    batch: [track('k-1', `m-${r}-a`), track('k-2', `m-${r}-b`), track('new-visitor', `m-${r}-c`), track('k-1', 'seed-1')],
  });
  /** Sends `count` batches side by side; answers their bodies and the statements they ran. */
  async function sendTogether(count: number, from: number) {
    const log = logStatements();
    try {
      const responses = await Promise.all(Array.from({ length: count }, (_, r) => t.send('/v1/batch', batch(from + r))));
      return { answers: await Promise.all(responses.map((res) => res.json())), texts: log.texts.map((s) => s.toLowerCase()) };
    } finally {
      log.stop();
    }
  }
  const isEventInsert = (s: string) => s.includes('insert into events') || s.includes('insert into "events"');
  /** The [begin, commit] index pairs of the transactions in `texts`. */
  const transactions = (texts: string[]) =>
    texts.flatMap((s, i) => (s.startsWith('begin') ? [[i, texts.indexOf('commit', i)] as const] : []));

  it('are stored whole, a repeat acknowledged, and on SQLite each batch in one commit with the others arriving with it', async () => {
    await t.send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'k-1', messageId: 'seed-1' },
        { type: 'page', anonymousId: 'k-2', messageId: 'seed-2' },
      ],
    });
    // One batch alone: its known visitors' events and the new visitor's, one transaction.
    const alone = await sendTogether(1, 0);
    // Three together: each whole inside one transaction, which the others may share (services/request-transaction.ts
    // groups what arrives before its commit; under load one may come a turn too late, never split).
    const together = await sendTogether(3, 1);
    // The last message repeats the seeded page's messageId under the same visitor: acknowledged, not stored twice.
    for (const a of [...alone.answers, ...together.answers])
      expect(a).toMatchObject({ success: true, accepted: 3, duplicates: 1, rejected: [] });
    const stored = await t.database.db
      .selectFrom('events')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(2 + 4 * 3);
    if (store.name !== 'sqlite') return;
    expect(alone.texts.filter((s) => s.startsWith('begin'))).toEqual(['begin immediate']);
    expect(alone.texts.filter((s) => s === 'commit')).toHaveLength(1);
    for (const { texts } of [alone, together]) {
      const spans = transactions(texts);
      const writes = texts.flatMap((s, i) => (isEventInsert(s) ? [i] : []));
      expect(writes.length).toBeGreaterThanOrEqual(2);
      // Every event written (the fast path's statements and the new visitor's) is inside a transaction…
      for (const i of writes) expect(spans.some(([b, c]) => i > b && i < c)).toBe(true);
    }
    // …and no batch is split over two: never more transactions than batches.
    expect(transactions(together.texts).length).toBeLessThanOrEqual(3);
  });
});
