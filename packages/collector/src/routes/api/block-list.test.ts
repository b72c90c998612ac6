import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, profileOf } from '../../test-support/identity.js';

// Issue 9: the block list takes patterns, so placeholder addresses never link nor count as reachable.
const databases = await testDatabases();

describe.each(databases)('block-list patterns on $name', (store) => {
  const t = useTestApp(store);
  const patch = (body: unknown) => t.admin('/api/settings', { method: 'PATCH', body });

  it.each([
    [['test@test.com', '*'], 'blockList.1'],
    [['*@*'], 'blockList.0'],
    [['ok@example.org', '* @x.com'], 'blockList.1'],
  ])('refuses the block list %j with 400 naming %s', async (blockList, field) => {
    const before = (await t.admin('/api/settings')).body;
    const res = await patch({ blockList });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
    expect((await t.admin('/api/settings')).body).toEqual(before);
  });

  it('a placeholder address matching a pattern never links two visitors and never counts as reachable', async () => {
    const res = await patch({ blockList: ['test@test.com', '*@placeholder.email'] });
    expect(res.status).toBe(200);
    expect(res.body.blockList).toEqual(['test@test.com', '*@placeholder.email']);

    const first = await identify(t, { anonymousId: 'v1', email: '0001@Placeholder.email' });
    await identify(t, { anonymousId: 'v2', email: '0001@placeholder.email' });
    expect(first.warnings).toMatchObject([{ field: 'traits.email', reason: expect.stringContaining('block list') }]);
    const a = await profileOf(t, 'anonymousId', 'v1');
    const b = await profileOf(t, 'anonymousId', 'v2');
    expect(a?.id).not.toBe(b?.id);
    expect(a).toMatchObject({ status: 'anonymous', email: null });
    expect(await profileOf(t, 'email', '0001@placeholder.email')).toBeUndefined();
    expect((await t.admin('/api/stats')).body).toMatchObject({ contacts: 0, reachability: { email: 0 } });

    await identify(t, { anonymousId: 'v3', email: 'ana@example.com' });
    expect((await profileOf(t, 'anonymousId', 'v3'))?.email).toBe('ana@example.com');
  });

  it('an address held before its pattern was added stops counting as reachable, in stats and in a segment', async () => {
    await identify(t, { anonymousId: 'v1', email: 'x1_a@placeholder.email' });
    await identify(t, { anonymousId: 'v2', email: 'ana@example.com' });
    await identify(t, { anonymousId: 'v3', email: 'x1za@example.org' });
    const everyone = { definition: { status: ['addressable', 'identified'] } };
    expect((await t.admin('/api/stats')).body.reachability.email).toBe(3);

    expect((await patch({ blockList: ['*@placeholder.email', 'ANA@example.com', 'x1_a*'] })).status).toBe(200);
    // `_` in a pattern is a literal underscore, not SQL's one-character wildcard: x1za@example.org still counts.
    expect((await t.admin('/api/stats')).body.reachability.email).toBe(1);
    const preview = await t.admin('/api/segments/preview', { method: 'POST', body: everyone });
    expect(preview.body).toMatchObject({ size: 3, reachability: { email: 1 } });
  });
});
