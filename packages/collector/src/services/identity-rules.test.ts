import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { eventsOf, identify, logOf, profileOf, track, usePrimaryKey } from '../test-support/identity.js';
import { integrityFor } from './verify.js';

const databases = await testDatabases();
const MOBILE = '+14155552671';

describe.each(databases)('identity rules on $name', (store) => {
  const t = useTestApp(store);

  it('never merges two profiles with different primary keys, and logs the refusal on both', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
    await identify(t, { anonymousId: 'b1', email: 'bo@example.com' });
    await identify(t, { anonymousId: 'b1', email: 'bo@example.com', phone: MOBILE });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    const bo = await profileOf(t, 'email', 'bo@example.com');
    expect(ana?.id).not.toBe(bo?.id);
    expect(ana?.phone).toBe(MOBILE);
    expect(bo?.phone).toBeNull();
    expect((await logOf(t, ana!.id)).filter((e) => e.type === 'merge_refused')).toHaveLength(1);
    expect((await logOf(t, bo!.id)).filter((e) => e.type === 'merge_refused')).toHaveLength(1);
  });

  it('block-listed values never link profiles', async () => {
    await identify(t, { anonymousId: 'a1', email: 'test@test.com' });
    const res = await identify(t, { anonymousId: 'b1', email: 'TEST@test.com', phone: '0000000000' });
    expect(res.warnings.map((w: { field: string }) => w.field).sort()).toEqual(['traits.email', 'traits.phone']);
    const a = await profileOf(t, 'anonymousId', 'a1');
    const b = await profileOf(t, 'anonymousId', 'b1');
    expect(a?.id).not.toBe(b?.id);
    expect(a).toMatchObject({ status: 'anonymous', email: null });
    expect(await profileOf(t, 'email', 'test@test.com')).toBeUndefined();
  });

  it('stitches the anonymous history onto the profile when the visitor identifies', async () => {
    await t.send('/v1/page', { messageId: 'p1', anonymousId: 'v1', timestamp: '2026-01-01T11:00:00Z' });
    await t.send('/v1/track', { messageId: 't1', anonymousId: 'v1', event: 'Product Viewed', timestamp: '2026-01-01T11:01:00Z' });
    await t.send('/v1/identify', {
      messageId: 'i1',
      anonymousId: 'v1',
      traits: { email: 'ana@example.com' },
      timestamp: '2026-01-01T11:02:00Z',
    });
    const p = await profileOf(t, 'email', 'ana@example.com');
    expect((await eventsOf(t, p!.id)).map((e) => e.messageId)).toEqual(['p1', 't1', 'i1']);
  });

  it('a lookup or read of a merged-away profile answers the survivor', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
    const anon = await profileOf(t, 'anonymousId', 'a1');
    await identify(t, { anonymousId: 'b1', phone: MOBILE });
    const loser = await profileOf(t, 'phone', MOBILE);
    await identify(t, { email: 'ana@example.com', phone: MOBILE, anonymousId: 'a1' });
    const read = await t.admin(`/api/profiles/${loser!.id}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(anon!.id);
    expect((await profileOf(t, 'anonymousId', 'b1'))?.id).toBe(anon!.id);
  });

  it('keeps the survivor’s value of a trait both profiles hold and logs the other', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', traits: { name: 'Ana', plan: 'gold' } });
    await identify(t, { anonymousId: 'b1', phone: MOBILE, traits: { name: 'Anita', city: 'Pune' } });
    await identify(t, { anonymousId: 'c1', email: 'ana@example.com', phone: MOBILE });
    const p = await profileOf(t, 'email', 'ana@example.com');
    expect(p?.traits).toEqual({ name: 'Ana', plan: 'gold', city: 'Pune' });
    const merged = (await logOf(t, p!.id)).find((e) => e.type === 'merged');
    expect(merged?.details.traitConflicts).toEqual([{ key: 'name', kept: 'Ana', discarded: 'Anita' }]);
  });

  it('with traitConflictPolicy newest keeps the value of the most recently updated profile', async () => {
    await usePrimaryKey(t, 'email', { traitConflictPolicy: 'newest' });
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', traits: { name: 'Ana' } });
    t.tick(60_000);
    await identify(t, { anonymousId: 'b1', phone: MOBILE, traits: { name: 'Ana Bell' } });
    await identify(t, { anonymousId: 'c1', email: 'ana@example.com', phone: MOBILE });
    const p = await profileOf(t, 'email', 'ana@example.com');
    expect(p?.traits.name).toBe('Ana Bell');
    const merged = (await logOf(t, p!.id)).find((e) => e.type === 'merged');
    expect(merged?.details.traitConflicts).toEqual([{ key: 'name', kept: 'Ana Bell', discarded: 'Ana' }]);
  });

  it('keeps every suppression of the merged profiles on the survivor, and with the address after unmerge', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
    await identify(t, { anonymousId: 'b1', phone: MOBILE });
    // Opt-outs are kept per channel and address (SPEC §4); the opt-out API comes later, so the row is written directly.
    await t.database.db
      .insertInto('suppressions')
      .values({
        workspace_id: (await t.database.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id,
        channel: 'sms',
        address: MOBILE,
        reason: 'unsubscribed',
        source: 'test',
        at: 1,
      })
      .execute();
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
    const survivor = (await t.admin(`/api/profiles/${(await profileOf(t, 'email', 'ana@example.com'))!.id}`)).body;
    expect(survivor.suppressions).toMatchObject([{ channel: 'sms', address: MOBILE }]);
    expect((await t.admin('/api/stats')).body.reachability).toMatchObject({ email: 1, sms: 0 });

    const merge = (await logOf(t, survivor.id)).find((e) => e.type === 'merged')!;
    await t.admin(`/api/profiles/${survivor.id}/unmerge`, { method: 'POST', body: { logId: merge.id } });
    const walkIn = (await t.admin(`/api/profiles/${(await profileOf(t, 'phone', MOBILE))!.id}`)).body;
    expect(walkIn.suppressions).toMatchObject([{ channel: 'sms', address: MOBILE }]);
    expect((await t.admin(`/api/profiles/${survivor.id}`)).body.suppressions).toEqual([]);
  });

  describe('unmerge', () => {
    it('restores both profiles with their own identifiers, traits and events', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', traits: { plan: 'gold' } });
      await track(t, 'a1', 'Product Viewed');
      await identify(t, { anonymousId: 'b1', phone: MOBILE, traits: { city: 'Pune' } });
      await track(t, 'b1', 'Product Added');
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
      const survivor = await profileOf(t, 'email', 'ana@example.com');
      const merge = (await logOf(t, survivor!.id)).find((e) => e.type === 'merged')!;

      const res = await t.admin(`/api/profiles/${survivor!.id}/unmerge`, { method: 'POST', body: { logId: merge.id } });
      expect(res.status).toBe(200);
      const ana = await profileOf(t, 'email', 'ana@example.com');
      const other = await profileOf(t, 'phone', MOBILE);
      expect(other?.id).toBe(merge.details.mergedId);
      expect(ana).toMatchObject({ id: survivor!.id, phone: null, traits: { plan: 'gold' }, anonymousIds: ['a1'] });
      expect(other).toMatchObject({ status: 'addressable', traits: { city: 'Pune' }, anonymousIds: ['b1'] });
      expect((await eventsOf(t, ana!.id)).map((e) => e.event).filter(Boolean)).toEqual(['Product Viewed']);
      expect((await eventsOf(t, other!.id)).map((e) => e.event).filter(Boolean)).toEqual(['Product Added']);
      expect((await logOf(t, other!.id)).at(-1)?.type).toBe('unmerged');

      const again = await t.admin(`/api/profiles/${survivor!.id}/unmerge`, { method: 'POST', body: { logId: merge.id } });
      expect(again.status).toBe(409);
    });

    it('refuses a log ID that is not a merge of that profile, naming logId', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      const p = await profileOf(t, 'email', 'ana@example.com');
      const created = (await logOf(t, p!.id))[0]!;
      const res = await t.admin(`/api/profiles/${p!.id}/unmerge`, { method: 'POST', body: { logId: created.id } });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('logId');
    });
  });

  describe('delete', () => {
    it('removes identifiers, traits and events; a returning visitor starts a new profile', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', traits: { name: 'Ana' } });
      await track(t, 'a1', 'Product Viewed');
      const p = await profileOf(t, 'email', 'ana@example.com');
      expect((await t.admin(`/api/profiles/${p!.id}`, { method: 'DELETE' })).status).toBe(204);

      expect(await profileOf(t, 'email', 'ana@example.com')).toBeUndefined();
      expect(await profileOf(t, 'anonymousId', 'a1')).toBeUndefined();
      expect((await t.admin(`/api/profiles/${p!.id}`)).status).toBe(404);
      const log = await t.admin(`/api/profiles/${p!.id}/log`);
      expect(log.status).toBe(200);
      expect(log.body.entries.at(-1)).toMatchObject({ type: 'deleted' });
      // Redacted: nothing the log said about the person remains.
      expect(JSON.stringify(log.body.entries)).not.toContain('ana@example.com');
      expect(log.body.entries.slice(0, -1).every((e: { details: unknown }) => JSON.stringify(e.details) === '{"redacted":true}')).toBe(
        true,
      );
      expect((await t.admin('/api/profiles/no-such-profile/log')).status).toBe(404);

      await track(t, 'a1', 'Cart Viewed');
      const back = await profileOf(t, 'anonymousId', 'a1');
      expect(back?.id).not.toBe(p!.id);
      expect(back).toMatchObject({ status: 'anonymous', traits: {} });
      expect((await eventsOf(t, back!.id)).map((e) => e.event)).toEqual(['Cart Viewed']);
    });
  });

  describe('verified and unverified claims', () => {
    it('an unverified claim attaches anonymous history to an identified profile by default', async () => {
      await identify(t, { userId: 'CUST-1', email: 'ana@example.com' }, { verified: true });
      await track(t, 'laptop', 'Product Viewed');
      await identify(t, { anonymousId: 'laptop', email: 'ana@example.com' });
      const p = await profileOf(t, 'email', 'ana@example.com');
      expect(p?.anonymousIds).toEqual(['laptop']);
    });

    it('with verifiedLinksOnly, an unverified claim is held and a verified one links', async () => {
      await usePrimaryKey(t, 'email', { verifiedLinksOnly: true });
      await identify(t, { userId: 'CUST-1', email: 'ana@example.com' }, { verified: true });
      await track(t, 'attacker', 'Product Viewed');
      await identify(t, { anonymousId: 'attacker', email: 'ana@example.com' });
      const ana = await profileOf(t, 'email', 'ana@example.com');
      expect(ana?.anonymousIds).toEqual([]);
      expect((await profileOf(t, 'anonymousId', 'attacker'))?.id).not.toBe(ana!.id);
      expect((await logOf(t, ana!.id)).find((e) => e.type === 'claim_refused')?.details).toMatchObject({
        reason: 'verified_links_only',
        asked: [{ kind: 'email', value: 'ana@example.com' }],
      });

      await identify(t, { anonymousId: 'laptop', email: 'ana@example.com' }, { integrity: integrityFor(t.secretKey, 'ana@example.com') });
      expect((await profileOf(t, 'anonymousId', 'laptop'))?.id).toBe(ana!.id);
      await identify(
        t,
        { anonymousId: 'phone', email: 'ana@example.com' },
        { integrity: integrityFor('not-the-secret', 'ana@example.com') },
      );
      expect((await profileOf(t, 'anonymousId', 'phone'))?.id).not.toBe(ana!.id);
    });

    it('an unverified alias cannot change a userId primary key; a verified one can', async () => {
      await usePrimaryKey(t, 'userId');
      await identify(t, { anonymousId: 'a1', userId: 'CUST-1' });
      await t.send('/v1/alias', { messageId: 'al1', userId: 'CUST-2', previousId: 'CUST-1' });
      expect(await profileOf(t, 'userId', 'CUST-2')).toBeUndefined();
      await t.send('/v1/alias', { messageId: 'al2', userId: 'CUST-2', previousId: 'CUST-1' }, { verified: true });
      const p = await profileOf(t, 'userId', 'CUST-2');
      expect(p?.anonymousIds).toEqual(['a1']);
      expect(await profileOf(t, 'userId', 'CUST-1')).toBeUndefined();
    });

    it('alias links an anonymous ID to a userId', async () => {
      await track(t, 'a1', 'Product Viewed');
      await t.send('/v1/alias', { messageId: 'al1', userId: 'CUST-9', previousId: 'a1' });
      const p = await profileOf(t, 'userId', 'CUST-9');
      expect(p?.anonymousIds).toEqual(['a1']);
      expect((await eventsOf(t, p!.id)).some((e) => e.event === 'Product Viewed')).toBe(true);
    });
  });

  describe('concurrency', () => {
    it('100 concurrent identifies for one person from different anonymous IDs end in one profile', async () => {
      const anonymousIds = Array.from({ length: 100 }, (_, i) => `tab-${i}`);
      await Promise.all(anonymousIds.map((anonymousId) => identify(t, { anonymousId, email: 'ana@example.com' })));
      const p = await profileOf(t, 'email', 'ana@example.com');
      expect(p?.anonymousIds.sort()).toEqual([...anonymousIds].sort());
      const stats = (await t.admin('/api/stats')).body;
      expect(stats).toMatchObject({ identified: 1, addressable: 0, anonymous: 0, contacts: 1 });
    });

    it('concurrent identifies linking an email and a phone end in one profile', async () => {
      await usePrimaryKey(t, 'userId');
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          identify(
            t,
            i % 2 ? { anonymousId: `x-${i}`, email: 'ana@example.com', phone: MOBILE } : { anonymousId: `y-${i}`, phone: MOBILE },
          ),
        ),
      );
      const stats = (await t.admin('/api/stats')).body;
      expect(stats).toMatchObject({ addressable: 1, anonymous: 0 });
    });
  });
});
