import type { PopupsResponse } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { memberIds, saveSegment } from '../test-support/audience.js';
import { testDatabases } from '../test-support/databases.js';
import { track } from '../test-support/identity.js';
import { createRule, fetchPopups, ruleInput } from '../test-support/popups.js';

const databases = await testDatabases();

describe.each(databases)('popups for a saved segment on $name', (store) => {
  const t = useTestApp(store);

  const served = async (anonymousId: string) => {
    const res = await fetchPopups(t, anonymousId);
    expect(res.status).toBe(200);
    return ((await res.json()) as PopupsResponse).popups;
  };

  it("serves a segment's rule to its members only, without naming the segment", async () => {
    const carts = await saveSegment(t, { event: 'Product Added', within: { minutes: 30 } });
    const rule = await createRule(t, { name: 'cart rescue', audience: { segment: carts } });
    expect(rule.audience).toEqual({ segment: carts });
    await createRule(t, { name: 'all', audience: 'everyone', priority: -1 });

    await track(t, 'v-cart', 'Product Added');
    await track(t, 'v-browse', 'Product Viewed');
    await memberIds(t, carts); // the audience pass has run
    expect((await served('v-browse')).map((p) => p.name)).toEqual(['all']);
    const mine = await served('v-cart');
    expect(mine.map((p) => p.name)).toEqual(['cart rescue', 'all']);
    expect(mine[0]!.audience).toBe('everyone');
    expect(JSON.stringify(mine)).not.toContain(carts);

    t.tick(31 * 60_000); // the cart leaves the 30-minute window
    await memberIds(t, carts);
    expect((await served('v-cart')).map((p) => p.name)).toEqual(['all']);
  });

  it('refuses a segment audience that names no saved segment, naming the field', async () => {
    const res = await t.admin('/api/popups', { method: 'POST', body: ruleInput({ audience: { segment: 'nope' } }) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'audience.segment' });
    const bad = await t.admin('/api/popups', { method: 'POST', body: ruleInput({ audience: { everyone: true } as never }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('audience');
  });
});
