import { describe, expect, it } from 'vitest';
import { resolveIdentity } from './resolve.js';
import { identifierKey, type Claim, type IdentifierKind, type ProfileView, type ResolveInput } from './types.js';
import type { PrimaryKey } from '../settings.js';

const profile = (id: string, createdAt: number, ids: ProfileView['ids'] = {}): ProfileView => ({
  id,
  createdAt,
  updatedAt: createdAt,
  ids,
});

/** Builds resolver input from who owns what, the way the service loads it. */
function input(
  primaryKey: PrimaryKey,
  claim: Omit<Claim, 'verified'> & { verified?: boolean },
  owned: Array<[IdentifierKind, string, ProfileView]>,
  verifiedLinksOnly = false,
): ResolveInput {
  return {
    primaryKey,
    verifiedLinksOnly,
    claim: { verified: false, ...claim },
    owners: new Map(owned.map(([kind, value, p]) => [identifierKey(kind, value), p])),
  };
}

describe('resolveIdentity', () => {
  it('creates a profile when no one owns any claimed identifier', () => {
    const plan = resolveIdentity(input('email', { anonymousId: 'a1', email: 'ana@x.com' }, []));
    expect(plan.survivor.id).toBeUndefined();
    expect(plan.attach).toEqual([
      { kind: 'email', value: 'ana@x.com' },
      { kind: 'anonymousId', value: 'a1' },
    ]);
    expect(plan.source).toEqual({ kind: 'anonymousId', value: 'a1' });
  });

  it('attaches new identifiers to the one profile that owns the others', () => {
    const anon = profile('P1', 1);
    const plan = resolveIdentity(input('email', { anonymousId: 'a1', email: 'ana@x.com' }, [['anonymousId', 'a1', anon]]));
    expect(plan.survivor.id).toBe('P1');
    expect(plan.attach).toEqual([{ kind: 'email', value: 'ana@x.com' }]);
    expect(plan.merge).toEqual([]);
  });

  it('merges keyless profiles into the identified one', () => {
    const ana = profile('ANA', 5, { email: 'ana@x.com' });
    const walkIn = profile('WALK', 1, { phone: '+1' });
    const plan = resolveIdentity(
      input('email', { email: 'ana@x.com', phone: '+1' }, [
        ['email', 'ana@x.com', ana],
        ['phone', '+1', walkIn],
      ]),
    );
    expect(plan.survivor.id).toBe('ANA');
    expect(plan.merge).toEqual(['WALK']);
    expect(plan.attach).toEqual([]);
  });

  it('keeps the oldest of several keyless profiles as survivor', () => {
    const young = profile('YOUNG', 9, { email: 'e@x.com' });
    const old = profile('OLD', 2, { phone: '+1' });
    const plan = resolveIdentity(
      input('userId', { email: 'e@x.com', phone: '+1' }, [
        ['email', 'e@x.com', young],
        ['phone', '+1', old],
      ]),
    );
    expect(plan.survivor.id).toBe('OLD');
    expect(plan.merge).toEqual(['YOUNG']);
  });

  it('routes a different primary key to its own profile and refuses the merge (shared device)', () => {
    const ana = profile('ANA', 1, { email: 'ana@x.com' });
    const plan = resolveIdentity(input('email', { anonymousId: 'dev', email: 'bo@x.com' }, [['anonymousId', 'dev', ana]]));
    expect(plan.survivor.id).toBeUndefined();
    expect(plan.refused).toEqual([
      { profileId: 'ANA', reason: 'primary_key_conflict', identifiers: [{ kind: 'anonymousId', value: 'dev' }] },
    ]);
    expect(plan.attach).toEqual([{ kind: 'email', value: 'bo@x.com' }]);
    expect(plan.source).toEqual({ kind: 'email', value: 'bo@x.com' });
  });

  it('without a primary key in the claim, an explicit email or phone beats the cookie', () => {
    const cookieOwner = profile('A', 1, { email: 'a@x.com' });
    const phoneOwner = profile('B', 2, { email: 'b@x.com', phone: '+1' });
    const plan = resolveIdentity(
      input('email', { anonymousId: 'dev', phone: '+1' }, [
        ['anonymousId', 'dev', cookieOwner],
        ['phone', '+1', phoneOwner],
      ]),
    );
    expect(plan.survivor.id).toBe('B');
    expect(plan.refused.map((r) => r.profileId)).toEqual(['A']);
    expect(plan.source).toEqual({ kind: 'phone', value: '+1' });
  });

  it('never takes an identifier from a profile holding a different primary key', () => {
    const ana = profile('ANA', 1, { email: 'ana@x.com', phone: '+1' });
    const bo = profile('BO', 2, { email: 'bo@x.com' });
    const plan = resolveIdentity(
      input('email', { email: 'bo@x.com', phone: '+1' }, [
        ['email', 'bo@x.com', bo],
        ['phone', '+1', ana],
      ]),
    );
    expect(plan.survivor.id).toBe('BO');
    expect(plan.attach).toEqual([]);
    expect(plan.merge).toEqual([]);
    expect(plan.retire).toEqual([]);
  });

  it('replaces a non-key identifier with the claimed one and retires the old value', () => {
    const ana = profile('ANA', 1, { email: 'ana@x.com', phone: '+1' });
    const plan = resolveIdentity(input('email', { email: 'ana@x.com', phone: '+2', verified: true }, [['email', 'ana@x.com', ana]]));
    expect(plan.attach).toEqual([{ kind: 'phone', value: '+2' }]);
    expect(plan.retire).toEqual([{ kind: 'phone', value: '+1', profileId: 'ANA', replacedBy: '+2' }]);
  });

  it('after a merge keeps the survivor’s value of a kind both hold and retires the other', () => {
    const ana = profile('ANA', 1, { userId: 'U1', email: 'ana@x.com' });
    const walkIn = profile('WALK', 2, { email: 'old@x.com', phone: '+1' });
    const plan = resolveIdentity(
      input('userId', { userId: 'U1', phone: '+1', verified: true }, [
        ['userId', 'U1', ana],
        ['phone', '+1', walkIn],
      ]),
    );
    expect(plan.merge).toEqual(['WALK']);
    expect(plan.retire).toEqual([{ kind: 'email', value: 'old@x.com', profileId: 'WALK', replacedBy: 'ana@x.com' }]);
  });

  it('in verified-links-only mode holds an unverified link to an identified profile', () => {
    const ana = profile('ANA', 1, { email: 'ana@x.com' });
    const plan = resolveIdentity(input('email', { anonymousId: 'new', email: 'ana@x.com' }, [['email', 'ana@x.com', ana]], true));
    expect(plan.survivor.id).toBeUndefined();
    expect(plan.attach).toEqual([{ kind: 'anonymousId', value: 'new' }]);
    expect(plan.refused).toEqual([]);
    expect(plan.claimRefused).toEqual([
      { reason: 'verified_links_only', profileIds: ['ANA'], identifiers: [{ kind: 'email', value: 'ana@x.com' }] },
    ]);
  });

  it('in verified-links-only mode lets a verified claim link', () => {
    const ana = profile('ANA', 1, { email: 'ana@x.com' });
    const plan = resolveIdentity(
      input('email', { anonymousId: 'new', email: 'ana@x.com', verified: true }, [['email', 'ana@x.com', ana]], true),
    );
    expect(plan.survivor.id).toBe('ANA');
    expect(plan.refused).toEqual([]);
  });

  it('in verified-links-only mode still lets an unverified claim create an addressable profile', () => {
    const plan = resolveIdentity(input('userId', { anonymousId: 'a', phone: '+1' }, [], true));
    expect(plan.refused).toEqual([]);
    expect(plan.attach).toHaveLength(2);
  });
});
