import { describe, expect, it } from 'vitest';
import { MAX_BATCH_MESSAGES } from '@threadline/protocol';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { messageIdsOf } from '../test-support/identity.js';

const databases = await testDatabases();

describe.each(databases)('timeline order on $name', (store) => {
  const t = useTestApp(store);

  it('keeps calls made in the same millisecond in the order the client sent them', async () => {
    // messageIds sort the opposite way, so only the batch position can give this order.
    const batch = ['page', 'Product Viewed', 'Product Added', 'Cart Viewed'].map((what, i) => ({
      type: what === 'page' ? 'page' : 'track',
      ...(what === 'page' ? {} : { event: what }),
      messageId: `m-${9 - i}`,
      anonymousId: 'v1',
      timestamp: '2026-01-01T11:00:00.000Z',
    }));
    await t.send('/v1/batch', { batch });
    expect(await messageIdsOf(t, 'v1')).toEqual(['m-9', 'm-8', 'm-7', 'm-6']);
  });
});

describe.each(databases)('repeated messages on $name', (store) => {
  const t = useTestApp(store);

  it("stores a known visitor's events, a new visitor's and nothing twice when one batch mixes them with repeats", async () => {
    const track = (messageId: string, anonymousId: string, event: string) => ({ type: 'track', messageId, anonymousId, event });
    await t.send('/v1/batch', { batch: [track('k0', 'known', 'Product Viewed')] });
    const batch = [
      track('k1', 'known', 'Product Added'),
      track('k0', 'known', 'Product Viewed'), // stored by the earlier request
      { type: 'page', messageId: 'n1', anonymousId: 'new' },
      track('k1', 'known', 'Product Added'), // repeated inside this batch
      track('n2', 'new', 'Cart Viewed'),
    ];
    expect(await (await t.send('/v1/batch', { batch })).json()).toMatchObject({ accepted: 3, duplicates: 2, rejected: [] });
    expect(await messageIdsOf(t, 'known')).toEqual(['k0', 'k1']);
    expect(await messageIdsOf(t, 'new')).toEqual(['n1', 'n2']);
    expect(await (await t.send('/v1/batch', { batch })).json()).toMatchObject({ accepted: 0, duplicates: 5 });
  });

  it('ignores a retried identify: its traits are not applied again over newer ones', async () => {
    const identify = (messageId: string, plan: string) => ({
      type: 'identify',
      messageId,
      anonymousId: 'v1',
      traits: { email: 'ana@example.com', plan },
    });
    await t.send('/v1/batch', { batch: [identify('i1', 'gold')] });
    await t.send('/v1/batch', { batch: [identify('i2', 'silver')] });
    const retry = await (
      await t.send('/v1/batch', {
        batch: [identify('i1', 'gold'), { type: 'track', messageId: 't1', anonymousId: 'v1', event: 'Cart Viewed' }],
      })
    ).json();
    expect(retry).toMatchObject({ accepted: 1, duplicates: 1 });
    const profile = (await t.admin('/api/profiles/lookup?email=ana@example.com')).body;
    expect(profile.traits).toEqual({ plan: 'silver' });
    expect(
      (await t.admin(`/api/profiles/${profile.id}/log`)).body.entries.filter((e: { type: string }) => e.type === 'identifier_added'),
    ).toHaveLength(2);
  });
});

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
