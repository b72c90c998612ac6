import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, profileOf } from '../test-support/identity.js';

// SPEC §1, §2 / issue 9: identifiers on any event count, `mobile` is a phone,
// and a userId that is not the primary key makes a profile addressable.
const databases = await testDatabases();
const MOBILE = '+14155552671';

describe.each(databases)('identifiers on any event on $name', (store) => {
  const t = useTestApp(store);
  const batch = async (...messages: unknown[]) => (await t.send('/v1/batch', { batch: messages })).json();

  it('reads Segment’s context.traits email and phone on track and page calls', async () => {
    const res = await batch(
      { type: 'track', messageId: 't1', anonymousId: 'v1', event: 'Product Viewed', context: { traits: { email: ' Ana@Example.com' } } },
      { type: 'page', messageId: 'p1', anonymousId: 'v2', name: 'Home', context: { traits: { phone: '(415) 555-2671' } } },
    );
    expect(res).toMatchObject({ accepted: 2, rejected: [], warnings: [] });
    expect(await profileOf(t, 'email', 'ana@example.com')).toMatchObject({ status: 'identified', anonymousIds: ['v1'], traits: {} });
    expect(await profileOf(t, 'phone', MOBILE)).toMatchObject({ status: 'addressable', anonymousIds: ['v2'] });
    const events = (await t.admin(`/api/profiles/${(await profileOf(t, 'anonymousId', 'v1'))!.id}/events`)).body.events;
    expect(events.map((e: { event: string }) => e.event)).toEqual(['Product Viewed']);
  });

  it('reads mobile as phone, in traits and in context.traits, and does not keep it as a trait', async () => {
    await identify(t, { anonymousId: 'v1', traits: { mobile: '415-555-2671', name: 'Ana' } });
    expect(await profileOf(t, 'phone', MOBILE)).toMatchObject({ anonymousIds: ['v1'], traits: { name: 'Ana' } });
    await batch({ type: 'track', messageId: 't1', anonymousId: 'v2', event: 'E', context: { traits: { mobile: '+14155552672' } } });
    expect((await profileOf(t, 'phone', '+14155552672'))?.anonymousIds).toEqual(['v2']);
  });

  it('names the context.traits field of an invalid or refused identifier', async () => {
    const bad = await batch({ type: 'track', messageId: 't1', anonymousId: 'v1', event: 'E', context: { traits: { email: 'nope' } } });
    expect(bad.warnings).toMatchObject([{ index: 0, field: 'context.traits.email' }]);

    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE }, { verified: true });
    const refused = await batch({
      type: 'page',
      messageId: 'p1',
      anonymousId: 'a1',
      context: { traits: { email: 'ana@example.com', phone: '+14155552672' } },
    });
    expect(refused.warnings).toMatchObject([{ index: 0, field: 'context.traits.phone' }]);
    expect((await profileOf(t, 'email', 'ana@example.com'))?.phone).toBe(MOBILE);
  });

  it('an identify’s own traits win over its context.traits', async () => {
    await batch({
      type: 'identify',
      messageId: 'i1',
      anonymousId: 'v1',
      traits: { email: 'ana@example.com' },
      context: { traits: { email: 'other@example.com' } },
    });
    expect((await profileOf(t, 'anonymousId', 'v1'))?.email).toBe('ana@example.com');
    expect(await profileOf(t, 'email', 'other@example.com')).toBeUndefined();
  });

  it('a profile holding only a userId (primary key email) is addressable and counts as a contact', async () => {
    await identify(t, { anonymousId: 'v1', userId: 'CUST-1' });
    await identify(t, { anonymousId: 'v2' });
    expect(await profileOf(t, 'userId', 'CUST-1')).toMatchObject({ status: 'addressable' });
    expect((await t.admin('/api/stats')).body).toMatchObject({ contacts: 1, addressable: 1, anonymous: 1 });
    expect((await t.admin('/api/profiles?status=addressable')).body.profiles).toHaveLength(1);
  });
});
