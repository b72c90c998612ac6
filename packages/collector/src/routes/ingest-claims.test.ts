import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, logOf, profileOf, usePrimaryKey } from '../test-support/identity.js';

// SPEC §2 / issue 8 §1: an unverified claim (the public write key) adds and
// attaches, it never takes away. Each attack of the issue, on both stores.
const databases = await testDatabases();
const ANA_MOBILE = '+14155552671';
const STRANGER_MOBILE = '+14155559999';

describe.each(databases)('unverified claims on $name', (store) => {
  const t = useTestApp(store);
  const fields = (res: { warnings: Array<{ field: string }> }) => res.warnings.map((w) => w.field).sort();
  const refusals = async (id: string) => (await logOf(t, id)).filter((e) => e.type === 'claim_refused').map((e) => e.details);

  it("a stranger cannot replace Ana's phone: her SMS opt-out keeps applying and the refusal is logged", async () => {
    await identify(t, { anonymousId: 'ana-laptop', email: 'ana@example.com', phone: ANA_MOBILE }, { verified: true });
    const ws = await t.database.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('suppressions')
      .values({ workspace_id: ws.id, channel: 'sms', address: ANA_MOBILE, reason: 'unsubscribed', source: 'test', at: 1 })
      .execute();

    const res = await t.send('/v1/batch', {
      batch: [{ type: 'identify', messageId: 'x1', anonymousId: 'stranger', traits: { email: 'ana@example.com', phone: STRANGER_MOBILE } }],
    });
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 1, rejected: [] });
    expect(body.warnings).toMatchObject([{ index: 0, messageId: 'x1', field: 'traits.phone' }]);

    const ana = await profileOf(t, 'email', 'ana@example.com');
    expect(ana?.phone).toBe(ANA_MOBILE);
    expect(await profileOf(t, 'phone', STRANGER_MOBILE)).toBeUndefined();
    expect((await t.admin(`/api/profiles/${ana!.id}`)).body.suppressions).toMatchObject([{ channel: 'sms', address: ANA_MOBILE }]);
    expect((await t.admin('/api/stats')).body.reachability).toMatchObject({ email: 1, sms: 0 });
    expect(await refusals(ana!.id)).toEqual([
      {
        reason: 'would_replace',
        asked: [{ kind: 'phone', value: STRANGER_MOBILE }],
        kept: { kind: 'phone', value: ANA_MOBILE, profileId: ana!.id },
        landedOn: ana!.id,
        via: 'identify',
      },
    ]);
    expect((await logOf(t, ana!.id)).some((e) => e.type === 'identifier_replaced')).toBe(false);
  });

  it('with primaryKey userId, identify CUST-3 with a new email does not replace the customer’s email', async () => {
    await usePrimaryKey(t, 'userId');
    await identify(t, { userId: 'CUST-3', email: 'cust3@example.com' }, { verified: true });
    const res = await identify(t, { userId: 'CUST-3', email: 'attacker@evil.example' });
    expect(fields(res)).toEqual(['traits.email']);
    const customer = await profileOf(t, 'userId', 'CUST-3');
    expect(customer?.email).toBe('cust3@example.com');
    expect(await profileOf(t, 'email', 'attacker@evil.example')).toBeUndefined();
    expect((await refusals(customer!.id))[0]).toMatchObject({ reason: 'would_replace', asked: [{ kind: 'email' }] });

    await identify(t, { userId: 'CUST-3', email: 'new@example.com' }, { verified: true });
    expect((await profileOf(t, 'userId', 'CUST-3'))?.email).toBe('new@example.com');
  });

  it.each([
    ['email', true],
    ['email', false],
    ['userId', true],
    ['userId', false],
  ] as const)('an unverified alias never renames a userId (primaryKey %s, verifiedLinksOnly %s)', async (primaryKey, strict) => {
    await usePrimaryKey(t, primaryKey, { verifiedLinksOnly: strict });
    await identify(t, { anonymousId: 'a1', userId: 'CUST-1', email: 'ana@example.com' }, { verified: true });
    const res = await (await t.send('/v1/alias', { messageId: 'al1', userId: 'ALIAS', previousId: 'CUST-1' })).json();
    expect(fields(res)).toEqual(['userId']);
    const customer = await profileOf(t, 'userId', 'CUST-1');
    expect(customer?.email).toBe('ana@example.com');
    expect(await profileOf(t, 'userId', 'ALIAS')).toBeUndefined();
    expect(await refusals(customer!.id)).toMatchObject([{ reason: 'would_rename', asked: [{ kind: 'userId', value: 'ALIAS' }] }]);

    await t.send('/v1/alias', { messageId: 'al3', userId: 'ALIAS', previousId: 'CUST-1' }, { verified: true });
    expect((await profileOf(t, 'userId', 'ALIAS'))?.id).toBe(customer!.id);
  });

  it('an unverified alias through an anonymous ID cannot give its profile a new userId either', async () => {
    await identify(t, { anonymousId: 'a1', userId: 'CUST-1', email: 'ana@example.com' }, { verified: true });
    const res = await (await t.send('/v1/alias', { messageId: 'al2', userId: 'ALIAS', previousId: 'a1' })).json();
    expect(fields(res)).toEqual(['userId']);
    expect((await profileOf(t, 'anonymousId', 'a1'))?.userId).toBe('CUST-1');
    expect(await profileOf(t, 'userId', 'ALIAS')).toBeUndefined();
  });

  it('a secret-key profile keeps its userId; its traits update like Segment’s (decision documented in ARCHITECTURE.md)', async () => {
    await identify(t, { userId: 'CUST-1', email: 'ana@example.com', traits: { plan: 'gold' } }, { verified: true });
    const res = await identify(t, { anonymousId: 'b1', userId: 'EVIL', email: 'ana@example.com', traits: { plan: 'free' } });
    expect(fields(res)).toEqual(['userId']);
    const ana = await profileOf(t, 'email', 'ana@example.com');
    expect(ana).toMatchObject({ userId: 'CUST-1', traits: { plan: 'free' } });
    expect(await profileOf(t, 'userId', 'EVIL')).toBeUndefined();
  });

  it('with verifiedLinksOnly, a write-key claim cannot change an identified profile’s traits; its own browser can', async () => {
    await usePrimaryKey(t, 'email', { verifiedLinksOnly: true });
    await identify(
      t,
      { anonymousId: 'ana-laptop', userId: 'CUST-1', email: 'ana@example.com', traits: { plan: 'gold' } },
      { verified: true },
    );
    const byUserId = await identify(t, { userId: 'CUST-1', traits: { plan: 'free' } });
    expect(fields(byUserId)).toEqual(['userId']);
    await identify(t, { anonymousId: 'stranger', userId: 'EVIL', email: 'ana@example.com', traits: { plan: 'free' } });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    expect(ana).toMatchObject({ userId: 'CUST-1', traits: { plan: 'gold' }, anonymousIds: ['ana-laptop'] });
    expect((await profileOf(t, 'anonymousId', 'stranger'))?.traits).toEqual({ plan: 'free' });
    expect((await refusals(ana!.id)).map((r) => r.reason).sort()).toEqual(['verified_links_only', 'verified_links_only', 'would_replace']);

    await identify(t, { anonymousId: 'ana-laptop', email: 'ana@example.com', traits: { plan: 'pro' } });
    expect((await profileOf(t, 'email', 'ana@example.com'))?.traits).toEqual({ plan: 'pro' });
  });

  it('a merge that would drop a value is refused; the sender keeps their own profile and the event', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: ANA_MOBILE }, { verified: true });
    await identify(t, { anonymousId: 'walk-in', phone: STRANGER_MOBILE });
    const walkIn = await profileOf(t, 'phone', STRANGER_MOBILE);
    const res = await identify(t, { anonymousId: 'walk-in', email: 'ana@example.com' });
    expect(fields(res)).toEqual(['traits.email']);
    expect((await profileOf(t, 'anonymousId', 'walk-in'))?.id).toBe(walkIn!.id);
    expect((await profileOf(t, 'phone', STRANGER_MOBILE))?.id).toBe(walkIn!.id);
    const ana = await profileOf(t, 'email', 'ana@example.com');
    expect(ana?.phone).toBe(ANA_MOBILE);
    expect(await refusals(walkIn!.id)).toMatchObject([{ reason: 'would_remove', landedOn: walkIn!.id }]);
    expect(await refusals(ana!.id)).toMatchObject([{ reason: 'would_remove' }]);
    const events = (await t.admin(`/api/profiles/${walkIn!.id}/events`)).body.events;
    expect(events).toHaveLength(2);
  });

  it('still attaches and merges what takes nothing away', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' }, { verified: true });
    await identify(t, { anonymousId: 'b1', phone: ANA_MOBILE });
    const res = await identify(t, { anonymousId: 'c1', email: 'ana@example.com', phone: ANA_MOBILE, userId: 'CUST-1' });
    expect(res.warnings).toEqual([]);
    const ana = await profileOf(t, 'email', 'ana@example.com');
    expect(ana).toMatchObject({ phone: ANA_MOBILE, userId: 'CUST-1', status: 'identified' });
    expect(ana?.anonymousIds.sort()).toEqual(['a1', 'b1', 'c1']);
  });

  it('an integrity HMAC makes a write-key claim verified, so it may replace', async () => {
    const { integrityFor } = await import('../services/verify.js');
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: ANA_MOBILE }, { verified: true });
    const res = await identify(
      t,
      { anonymousId: 'a1', email: 'ana@example.com', phone: STRANGER_MOBILE },
      { integrity: integrityFor(t.secretKey, 'ana@example.com') },
    );
    expect(res.warnings).toEqual([]);
    expect((await profileOf(t, 'email', 'ana@example.com'))?.phone).toBe(STRANGER_MOBILE);
  });
});
