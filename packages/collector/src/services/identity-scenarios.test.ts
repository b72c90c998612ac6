import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { eventsOf, identify, logOf, profileOf, track, usePrimaryKey } from '../test-support/identity.js';

// SPEC §2's scenario table, row by row, for each primary key and each store.
// Rows that replace an identifier hold for verified claims (the secret key);
// what an unverified claim does there is in claims.test.ts.
const databases = await testDatabases();
const MOBILE = '+14155552671';
const OTHER_MOBILE = '+14155552672';

describe.each(databases)('identity scenarios on $name', (store) => {
  const t = useTestApp(store);

  describe('primary key: email', () => {
    beforeEach(() => usePrimaryKey(t, 'email'));

    it('only a mobile → new addressable profile', async () => {
      await identify(t, { anonymousId: 'a1', phone: '(415) 555-2671' });
      const p = await profileOf(t, 'phone', MOBILE);
      expect(p).toMatchObject({ status: 'addressable', phone: MOBILE, email: null, anonymousIds: ['a1'] });
    });

    it('email and mobile both matching existing profiles → those profiles merge', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await track(t, 'a1', 'Product Viewed');
      await identify(t, { anonymousId: 'b1', phone: MOBILE });
      await track(t, 'b1', 'Product Added');
      await identify(t, { anonymousId: 'c1', email: 'ana@example.com', phone: MOBILE });

      const byEmail = await profileOf(t, 'email', 'ana@example.com');
      const byPhone = await profileOf(t, 'phone', MOBILE);
      expect(byPhone?.id).toBe(byEmail?.id);
      expect(byEmail).toMatchObject({ status: 'identified', email: 'ana@example.com', phone: MOBILE });
      expect(byEmail?.anonymousIds.sort()).toEqual(['a1', 'b1', 'c1']);
      const events = (await eventsOf(t, byEmail!.id)).map((e) => e.event).filter(Boolean);
      expect(events.sort()).toEqual(['Product Added', 'Product Viewed']);
      expect((await logOf(t, byEmail!.id)).some((e) => e.type === 'merged')).toBe(true);
    });

    it('an email different from the profile’s → new profile, nothing merged', async () => {
      await identify(t, { anonymousId: 'shared-device', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'shared-device', email: 'bo@example.com' });
      const ana = await profileOf(t, 'email', 'ana@example.com');
      const bo = await profileOf(t, 'email', 'bo@example.com');
      expect(bo?.id).not.toBe(ana?.id);
      expect(ana?.anonymousIds).toEqual(['shared-device']);
      expect(bo).toMatchObject({ status: 'identified', anonymousIds: [] });
      expect((await logOf(t, ana!.id)).find((e) => e.type === 'merge_refused')?.details).toMatchObject({
        reason: 'primary_key_conflict',
        otherProfileId: bo!.id,
      });
      expect((await logOf(t, bo!.id)).some((e) => e.type === 'merge_refused')).toBe(true);
      // The second identify belongs to Bo, not to Ana's timeline.
      expect((await eventsOf(t, bo!.id)).map((e) => e.type)).toEqual(['identify']);
      expect((await eventsOf(t, ana!.id)).map((e) => e.type)).toEqual(['identify']);
    });

    it('new mobile on a known profile → mobile replaced, old one logged', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: OTHER_MOBILE }, { verified: true });
      const p = await profileOf(t, 'email', 'ana@example.com');
      expect(p?.phone).toBe(OTHER_MOBILE);
      expect(await profileOf(t, 'phone', MOBILE)).toBeUndefined();
      const replaced = (await logOf(t, p!.id)).find((e) => e.type === 'identifier_replaced');
      expect(replaced?.details).toMatchObject({ kind: 'phone', old: MOBILE, new: OTHER_MOBILE });
    });
  });

  describe('primary key: phone', () => {
    beforeEach(() => usePrimaryKey(t, 'phone'));

    it('only an email → new addressable profile', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      expect(await profileOf(t, 'email', 'ana@example.com')).toMatchObject({ status: 'addressable', phone: null });
    });

    it('mobile and email both matching → merge', async () => {
      await identify(t, { anonymousId: 'a1', phone: MOBILE });
      await identify(t, { anonymousId: 'b1', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'c1', phone: MOBILE, email: 'ana@example.com' });
      const byPhone = await profileOf(t, 'phone', MOBILE);
      expect((await profileOf(t, 'email', 'ana@example.com'))?.id).toBe(byPhone?.id);
      expect(byPhone).toMatchObject({ status: 'identified' });
      expect(byPhone?.anonymousIds.sort()).toEqual(['a1', 'b1', 'c1']);
    });

    it('a different mobile → new profile', async () => {
      await identify(t, { anonymousId: 'a1', phone: MOBILE });
      await identify(t, { anonymousId: 'a1', phone: OTHER_MOBILE });
      const first = await profileOf(t, 'phone', MOBILE);
      const second = await profileOf(t, 'phone', OTHER_MOBILE);
      expect(second?.id).not.toBe(first?.id);
      expect(first?.phone).toBe(MOBILE);
    });
  });

  describe('primary key: userId', () => {
    beforeEach(() => usePrimaryKey(t, 'userId'));

    it('email or mobile without a userId → addressable profile', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'b1', phone: MOBILE });
      expect(await profileOf(t, 'email', 'ana@example.com')).toMatchObject({ status: 'addressable', userId: null });
      expect(await profileOf(t, 'phone', MOBILE)).toMatchObject({ status: 'addressable', userId: null });
    });

    it('userId later, with a matching email or mobile → addressable profile merges into it', async () => {
      await identify(t, { anonymousId: 'web', userId: 'CUST-1' });
      await identify(t, { anonymousId: 'store', phone: MOBILE });
      await track(t, 'store', 'Order Completed');
      await identify(t, { userId: 'CUST-1', phone: MOBILE });
      const customer = await profileOf(t, 'userId', 'CUST-1');
      expect((await profileOf(t, 'phone', MOBILE))?.id).toBe(customer?.id);
      expect(customer).toMatchObject({ status: 'identified', phone: MOBILE });
      expect(customer?.anonymousIds.sort()).toEqual(['store', 'web']);
      expect((await eventsOf(t, customer!.id)).some((e) => e.event === 'Order Completed')).toBe(true);
    });

    it('userId later on an addressable profile alone → that profile becomes identified', async () => {
      await identify(t, { anonymousId: 'store', email: 'ana@example.com' });
      const before = await profileOf(t, 'email', 'ana@example.com');
      await identify(t, { userId: 'CUST-1', email: 'ana@example.com' });
      expect(await profileOf(t, 'userId', 'CUST-1')).toMatchObject({ id: before!.id, status: 'identified' });
    });

    it('userId with a new email or mobile → the identified profile is updated', async () => {
      await identify(t, { userId: 'CUST-1', email: 'old@example.com', phone: MOBILE });
      await identify(t, { userId: 'CUST-1', email: 'new@example.com', phone: OTHER_MOBILE }, { verified: true });
      const p = await profileOf(t, 'userId', 'CUST-1');
      expect(p).toMatchObject({ email: 'new@example.com', phone: OTHER_MOBILE });
      const kinds = (await logOf(t, p!.id)).filter((e) => e.type === 'identifier_replaced').map((e) => e.details.old);
      expect(kinds.sort()).toEqual(['old@example.com', MOBILE].sort());
    });

    it('two addressable profiles linked by one identify merge', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'b1', phone: MOBILE });
      await identify(t, { anonymousId: 'c1', email: 'ana@example.com', phone: MOBILE });
      const p = await profileOf(t, 'email', 'ana@example.com');
      expect((await profileOf(t, 'phone', MOBILE))?.id).toBe(p?.id);
      expect(p).toMatchObject({ status: 'addressable' });
    });
  });
});
