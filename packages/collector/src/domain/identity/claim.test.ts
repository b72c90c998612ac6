import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings.js';
import { extractClaim } from './claim.js';

describe('extractClaim', () => {
  it('reads identifiers from an identify and keeps the other traits', () => {
    const r = extractClaim(
      { type: 'identify', messageId: 'm', anonymousId: 'a', traits: { email: ' Ana@X.com', phone: '(415) 555-2671', name: 'Ana' } },
      DEFAULT_SETTINGS,
      false,
    );
    expect(r.claim).toEqual({ verified: false, anonymousId: 'a', email: 'ana@x.com', phone: '+14155552671' });
    expect(r.traits).toEqual({ name: 'Ana' });
    expect(r.warnings).toEqual([]);
  });
  it('reports an invalid email by field and keeps the rest', () => {
    const r = extractClaim(
      { type: 'identify', messageId: 'm', anonymousId: 'a', traits: { email: 'nope', name: 'Ana' } },
      DEFAULT_SETTINGS,
      false,
    );
    expect(r.claim.email).toBeUndefined();
    expect(r.warnings).toEqual([{ field: 'traits.email', reason: 'is not a valid email address' }]);
  });
  it('never reads identifiers from a track call’s properties', () => {
    const r = extractClaim(
      { type: 'track', messageId: 'm', anonymousId: 'a', event: 'E', properties: { email: 'ana@x.com' } },
      DEFAULT_SETTINGS,
      false,
    );
    expect(r.claim).toEqual({ verified: false, anonymousId: 'a' });
  });
  it('reads context.traits on any call and mobile as phone, naming the field each came from', () => {
    const r = extractClaim(
      { type: 'track', messageId: 'm', anonymousId: 'a', event: 'E', context: { traits: { email: 'Ana@X.com', mobile: '4155552671' } } },
      DEFAULT_SETTINGS,
      false,
    );
    expect(r.claim).toEqual({ verified: false, anonymousId: 'a', email: 'ana@x.com', phone: '+14155552671' });
    expect(r.fields).toEqual({ anonymousId: 'anonymousId', email: 'context.traits.email', phone: 'context.traits.mobile' });
    expect(r.traits).toEqual({});
  });
});
