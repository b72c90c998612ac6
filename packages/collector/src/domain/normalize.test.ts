import { describe, expect, it } from 'vitest';
import { isBlocked, normalizeEmail, normalizePhone, normalizeUserId } from './normalize.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => expect(normalizeEmail(' Ana@Example.com ')).toEqual({ ok: true, value: 'ana@example.com' }));
  it.each(['ana', 'ana@', '@x.com', 'a@b', 'a b@x.com', 'a@x..com', 42])('rejects %s', (bad) => expect(normalizeEmail(bad).ok).toBe(false));
});

describe('normalizePhone', () => {
  it('reads an international number', () => expect(normalizePhone('+91 98765 43210', 'US')).toEqual({ ok: true, value: '+919876543210' }));
  it('reads a national number in the default country', () =>
    expect(normalizePhone('09876543210', 'IN')).toEqual({ ok: true, value: '+919876543210' }));
  it('reads US formatting', () => expect(normalizePhone('(415) 555-2671', 'US')).toEqual({ ok: true, value: '+14155552671' }));
  it.each(['123', '0000000000', 'call me', ''])('rejects %s naming the default country', (bad) => {
    const r = normalizePhone(bad, 'US');
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toContain('US');
  });
  it('answers a repeated number the same, read in its own default country, in an object the caller may change', () => {
    const first = normalizePhone('020 7946 0018', 'GB');
    expect(first).toEqual({ ok: true, value: '+442079460018' });
    if (first.ok) first.value = 'changed';
    expect(normalizePhone('020 7946 0018', 'GB')).toEqual({ ok: true, value: '+442079460018' });
    expect(normalizePhone('020 7946 0018', 'US')).toMatchObject({ ok: false });
    expect(normalizePhone('020 7946 0018', 'US')).toMatchObject({ ok: false });
  });
});

describe('normalizeUserId', () => {
  it('trims', () => expect(normalizeUserId('  CUST-1 ')).toEqual({ ok: true, value: 'CUST-1' }));
  it('rejects blank', () => expect(normalizeUserId('  ').ok).toBe(false));
});

describe('isBlocked', () => {
  it('matches emails case-insensitively', () => expect(isBlocked('email', 'test@test.com', ['TEST@test.com'])).toBe(true));
  it('matches phones by trailing digits', () => expect(isBlocked('phone', '+10000000000', ['0000000000'])).toBe(true));
  it('does not match a different value', () => expect(isBlocked('email', 'ana@x.com', ['test@test.com'])).toBe(false));
  it('ignores short phone entries that would block real numbers', () => expect(isBlocked('phone', '+14155550000', ['0000'])).toBe(false));
});
