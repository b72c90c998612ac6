import { describe, expect, it } from 'vitest';
import { hashIdentifiers, identifiersOf, isDifferentPerson } from './identity-hashes.js';

describe('identifiersOf', () => {
  it('normalises email by trim and lower-case, phone by dropping spaces, dashes and parentheses', () => {
    expect(identifiersOf(' CUST-1 ', { email: ' Ana@Example.COM ', phone: '+1 (555) 010-2000' })).toEqual({
      userId: 'CUST-1',
      email: 'ana@example.com',
      phone: '+15550102000',
    });
  });

  it('ignores empty and non-string values', () => {
    expect(identifiersOf(undefined, { email: '  ', phone: 5550102000 })).toEqual({});
  });
});

describe('hashIdentifiers', () => {
  it('stores short salted hashes, never the value', () => {
    const h = hashIdentifiers({ email: 'ana@example.com' }, 'aid-1');
    expect(h.email).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(h)).not.toContain('ana');
  });

  it('salts with the anonymous ID: the same email hashes differently for another visitor', () => {
    expect(hashIdentifiers({ email: 'a@b.co' }, 'aid-1').email).not.toBe(hashIdentifiers({ email: 'a@b.co' }, 'aid-2').email);
  });
});

describe('isDifferentPerson', () => {
  const seen = hashIdentifiers({ email: 'ana@example.com', phone: '+15550100' }, 'aid');

  it('is true when a kind we saw arrives with another value', () => {
    expect(isDifferentPerson(seen, hashIdentifiers({ email: 'bob@example.com' }, 'aid'))).toBe(true);
  });

  it('is false for the same value and for a kind not seen before', () => {
    expect(isDifferentPerson(seen, hashIdentifiers({ email: 'ana@example.com' }, 'aid'))).toBe(false);
    expect(isDifferentPerson(seen, hashIdentifiers({ userId: 'u1' }, 'aid'))).toBe(false);
  });

  it('lets a matching userId settle it: a customer may change their email', () => {
    const known = hashIdentifiers({ userId: 'u1', email: 'old@example.com' }, 'aid');
    expect(isDifferentPerson(known, hashIdentifiers({ userId: 'u1', email: 'new@example.com' }, 'aid'))).toBe(false);
    expect(isDifferentPerson(known, hashIdentifiers({ userId: 'u2', email: 'old@example.com' }, 'aid'))).toBe(true);
  });
});
