import { describe, expect, it } from 'vitest';
import { MAX_BATCH_MESSAGES } from '@threadline/protocol';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

const databases = await testDatabases();

describe.each(databases)('ingest at the batch limits on $name', (store) => {
  const t = useTestApp(store);

  it('stores a full batch of 2,500 messages from as many new visitors, then acknowledges the resend as duplicates', async () => {
    // Each message names a new visitor and identifies by email, so the batch
    // needs one identity lookup of 5,000 identifiers and 2,500 event rows.
    const batch = Array.from({ length: MAX_BATCH_MESSAGES }, (_, i) => ({
      type: 'identify',
      messageId: `m-${i}`,
      anonymousId: `v-${i}`,
      traits: { email: `shopper${i}@example.com` },
    }));
    const first = await (await t.send('/v1/batch', { batch })).json();
    expect(first).toMatchObject({ accepted: MAX_BATCH_MESSAGES, duplicates: 0, rejected: [] });
    const stats = (await t.admin('/api/stats')).body;
    expect(stats.identified).toBe(MAX_BATCH_MESSAGES);

    const again = await (await t.send('/v1/batch', { batch })).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: MAX_BATCH_MESSAGES });
  }, 60_000);
});
