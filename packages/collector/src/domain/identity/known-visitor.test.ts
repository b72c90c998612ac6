import { describe, expect, it } from 'vitest';
import { knownVisitor } from './known-visitor.js';
import { resolveIdentity } from './resolve.js';
import type { Identifier, ProfileView } from './types.js';

const owners = (entries: Array<[string, string]>) => new Map(entries);

describe('knownVisitor', () => {
  it('answers the anonymous ID when every claimed identifier is on one profile', () => {
    const ids: Identifier[] = [
      { kind: 'userId', value: 'U1' },
      { kind: 'anonymousId', value: 'a1' },
    ];
    expect(
      knownVisitor(
        ids,
        owners([
          ['userId:U1', 'P'],
          ['anonymousId:a1', 'P'],
        ]),
      ),
    ).toEqual({ kind: 'anonymousId', value: 'a1' });
  });
  it('answers the userId for a server-side event without an anonymous ID', () => {
    expect(knownVisitor([{ kind: 'userId', value: 'U1' }], owners([['userId:U1', 'P']]))).toEqual({ kind: 'userId', value: 'U1' });
  });
  it('needs full resolution when an identifier is new', () => {
    expect(
      knownVisitor(
        [
          { kind: 'anonymousId', value: 'a1' },
          { kind: 'email', value: 'e' },
        ],
        owners([['anonymousId:a1', 'P']]),
      ),
    ).toBeUndefined();
  });
  it('needs full resolution when identifiers belong to different profiles', () => {
    const ids: Identifier[] = [
      { kind: 'anonymousId', value: 'a1' },
      { kind: 'email', value: 'e' },
    ];
    expect(
      knownVisitor(
        ids,
        owners([
          ['anonymousId:a1', 'P'],
          ['email:e', 'Q'],
        ]),
      ),
    ).toBeUndefined();
  });
  it('agrees with the resolver: the same source and a plan that changes nothing', () => {
    const view: ProfileView = { id: 'P', createdAt: 1, updatedAt: 1, ids: { email: 'e', userId: 'U1' } };
    const ids: Identifier[] = [
      { kind: 'userId', value: 'U1' },
      { kind: 'email', value: 'e' },
      { kind: 'anonymousId', value: 'a1' },
    ];
    const plan = resolveIdentity({
      primaryKey: 'email',
      verifiedLinksOnly: true,
      claim: { userId: 'U1', email: 'e', anonymousId: 'a1', verified: false },
      owners: new Map(ids.map((i) => [`${i.kind}:${i.value}`, view])),
    });
    expect(plan).toMatchObject({ survivor: { id: 'P' }, merge: [], attach: [], retire: [], refused: [] });
    expect(knownVisitor(ids, owners(ids.map((i) => [`${i.kind}:${i.value}`, 'P'])))).toEqual(plan.source);
  });
});
