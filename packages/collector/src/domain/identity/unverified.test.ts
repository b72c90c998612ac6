import { describe, expect, it } from 'vitest';
import type { PrimaryKey } from '../settings.js';
import { resolveIdentity } from './resolve.js';
import { type Claim, type IdentifierKind, identifierKey, type ProfileView } from './types.js';

const profile = (id: string, createdAt: number, ids: ProfileView['ids'] = {}): ProfileView => ({
  id,
  createdAt,
  updatedAt: createdAt,
  ids,
});

const resolve = (primaryKey: PrimaryKey, claim: Omit<Claim, 'verified'>, owned: Array<[IdentifierKind, string, ProfileView]>) =>
  resolveIdentity({
    primaryKey,
    verifiedLinksOnly: false,
    claim: { ...claim, verified: false },
    owners: new Map(owned.map(([kind, value, p]) => [identifierKey(kind, value), p])),
  });

describe('resolveIdentity for an unverified claim', () => {
  it('refuses a value that would replace the one a profile holds and keeps the rest of the claim', () => {
    const ana = profile('ANA', 1, { email: 'ana@x.com', phone: '+1' });
    const plan = resolve('email', { anonymousId: 'new', email: 'ana@x.com', phone: '+2' }, [['email', 'ana@x.com', ana]]);
    expect(plan.survivor.id).toBe('ANA');
    expect(plan.attach).toEqual([{ kind: 'anonymousId', value: 'new' }]);
    expect(plan.retire).toEqual([]);
    expect(plan.claimRefused).toEqual([
      {
        reason: 'would_replace',
        profileIds: ['ANA'],
        identifiers: [{ kind: 'phone', value: '+2' }],
        kept: { kind: 'phone', value: '+1', profileId: 'ANA' },
      },
    ]);
  });

  it('adds an identifier of a kind the profile does not hold', () => {
    const ana = profile('ANA', 1, { email: 'ana@x.com' });
    const plan = resolve('email', { email: 'ana@x.com', phone: '+2', userId: 'U1' }, [['email', 'ana@x.com', ana]]);
    expect(plan.attach.map((i) => i.kind).sort()).toEqual(['phone', 'userId']);
    expect(plan.claimRefused).toEqual([]);
  });

  it('merges keyless profiles into the identified one when nothing is dropped', () => {
    const ana = profile('ANA', 5, { email: 'ana@x.com' });
    const walkIn = profile('WALK', 1, { phone: '+1' });
    const plan = resolve('email', { email: 'ana@x.com', phone: '+1' }, [
      ['email', 'ana@x.com', ana],
      ['phone', '+1', walkIn],
    ]);
    expect(plan.merge).toEqual(['WALK']);
    expect(plan.claimRefused).toEqual([]);
  });

  it('refuses a merge that would drop a merged profile’s value, keeping the sender on its own profile', () => {
    const ana = profile('ANA', 5, { email: 'ana@x.com', phone: '+1' });
    const walkIn = profile('WALK', 1, { phone: '+2' });
    const plan = resolve('email', { anonymousId: 'w', email: 'ana@x.com' }, [
      ['email', 'ana@x.com', ana],
      ['anonymousId', 'w', walkIn],
    ]);
    expect(plan.survivor.id).toBe('WALK');
    expect(plan.merge).toEqual([]);
    expect(plan.retire).toEqual([]);
    expect(plan.claimRefused).toMatchObject([
      { reason: 'would_remove', profileIds: ['WALK', 'ANA'], identifiers: [{ kind: 'email', value: 'ana@x.com' }] },
    ]);
  });

  it('refuses to pull in a profile whose value a merge would drop, when the sender is on the survivor', () => {
    const ana = profile('ANA', 1, { userId: 'U1', email: 'ana@x.com' });
    const walkIn = profile('WALK', 2, { email: 'old@x.com', phone: '+1' });
    const plan = resolve('userId', { anonymousId: 'a', userId: 'U1', phone: '+1' }, [
      ['userId', 'U1', ana],
      ['anonymousId', 'a', ana],
      ['phone', '+1', walkIn],
    ]);
    expect(plan.survivor.id).toBe('ANA');
    expect(plan.merge).toEqual([]);
    expect(plan.claimRefused).toMatchObject([{ reason: 'would_remove', identifiers: [{ kind: 'phone', value: '+1' }] }]);
  });

  it('refuses every value that would replace one, round by round, and attaches nothing else', () => {
    const cust = profile('CUST', 1, { userId: 'C3', email: 'c3@x.com', phone: '+1' });
    const plan = resolve('userId', { userId: 'C3', email: 'evil@x.com', phone: '+2' }, [['userId', 'C3', cust]]);
    expect(plan.survivor.id).toBe('CUST');
    expect(plan.attach).toEqual([]);
    expect(plan.retire).toEqual([]);
    expect(plan.claimRefused.map((r) => r.identifiers[0]?.kind).sort()).toEqual(['email', 'phone']);
    expect(plan.identifiers).toEqual({ userId: 'C3', email: 'c3@x.com', phone: '+1' });
  });
});
