import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

const databases = await testDatabases();
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Big enough to take many slices; bench/collector/stall.ts measures full 2,500-message batches. */
const SIZE = 500;

describe.each(databases)('a big public batch on $name', (store) => {
  const t = useTestApp(store);
  const profiles = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('profiles')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('lets /health be answered while it is being stored, and still stores every message once, in order', async () => {
    const batch = Array.from({ length: SIZE }, (_, i) => ({
      type: 'identify',
      messageId: `m${i}`,
      anonymousId: `v${i}`,
      traits: { email: `p${i}@example.com` },
    }));
    let batchDone = false;
    const sending = t.send('/v1/batch', { batch }).then(async (res) => {
      batchDone = true;
      return res;
    });
    // Wait, one event-loop turn at a time, until the batch is visibly half-way
    // (profiles written, answer not sent). Work that never yields would only
    // let this loop run again once the whole batch is done.
    let healthWhileInFlight: number | undefined;
    while (!batchDone) {
      await nextTurn();
      if (!batchDone && (await profiles()) > 0) {
        healthWhileInFlight = (await t.app.request('/health')).status;
        expect(batchDone).toBe(false);
        break;
      }
    }
    expect(healthWhileInFlight).toBe(200);
    const res = await sending;
    expect(await res.json()).toMatchObject({ accepted: SIZE, duplicates: 0, rejected: [] });
    const events = await t.database.db.selectFrom('events').select(['message_id', 'seq']).orderBy('seq').execute();
    expect(events.map((e) => e.message_id)).toEqual(batch.map((m) => m.messageId));

    const again = await t.send('/v1/batch', { batch });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: SIZE });
    expect(await profiles()).toBe(SIZE);
  }, 120_000);
});
