import { describe, expect, it } from 'vitest';
import { field, form } from '../../test-support/forms.js';
import { contactKind, hasContactField, readForm, readable } from './fields.js';

describe('contactKind', () => {
  it.each([
    [{ type: 'email' }, 'email'],
    [{ name: 'user_email' }, 'email'],
    [{ name: 'E-Mail' }, 'email'],
    [{ autocomplete: 'shipping email' }, 'email'],
    [{ 'data-threadline-field': 'email', name: 'contact' }, 'email'],
    [{ type: 'tel' }, 'phone'],
    [{ name: 'billing_phone' }, 'phone'],
    [{ name: 'mobileNumber' }, 'phone'],
    [{ autocomplete: 'tel' }, 'phone'],
    [{ autocomplete: 'section-a mobile tel-national' }, 'phone'],
    [{ 'data-threadline-field': 'phone', name: 'whatsapp' }, 'phone'],
  ] as const)('finds %j as %s', (attrs, kind) => {
    expect(contactKind(field(attrs))).toBe(kind);
  });

  it.each([
    [{ name: 'firstName' }],
    [{ type: 'checkbox', name: 'email_opt_in' }],
    [{ autocomplete: 'tel-country-code', name: 'cc' }],
    [{ type: 'hidden', name: 'email' }],
    [{ type: 'password', 'data-threadline-field': 'email' }],
    // A show-password toggle makes it type=text: the autocomplete token still says what it is.
    [{ type: 'text', name: 'email', autocomplete: 'current-password' }],
    [{ type: 'submit', name: 'email' }],
  ] as const)('ignores %j', (attrs) => {
    expect(contactKind(field(attrs))).toBeUndefined();
  });

  it('takes a marked field whatever its type looks like, but never a hidden or password one', () => {
    expect(contactKind(field({ type: 'text', name: 'phone', 'data-threadline-field': 'email' }))).toBe('email');
    expect(contactKind(field({ type: 'hidden', 'data-threadline-field': 'phone' }))).toBeUndefined();
  });
});

describe('readable', () => {
  it('never reads passwords, hidden or file fields, card fields, or secret-looking names', () => {
    const never = [
      field({ type: 'password', 'data-threadline-trait': 'pw' }),
      field({ type: 'hidden', name: 'csrf' }),
      field({ type: 'file' }),
      field({ name: 'card', autocomplete: 'cc-number' }),
      field({ name: 'new_passcode' }),
      field({ id: 'user-pwd' }),
      { tagName: 'BUTTON', type: 'submit', name: '', value: 'Go', getAttribute: () => null },
    ];
    expect(never.filter(readable)).toEqual([]);
    expect(readable(field({ name: 'city' }, 'Lisbon', { tag: 'select' }))).toBe(true);
  });
});

describe('readForm', () => {
  it('reads the email, the phone and marked traits, nothing else', () => {
    const f = form([
      field({ type: 'email', name: 'email' }, '  ana@example.com '),
      field({ type: 'tel', name: 'phone' }, '(415) 555-2671'),
      field({ name: 'first', 'data-threadline-trait': 'firstName' }, ' Ana '),
      field({ name: 'company' }, 'Acme'),
      field({ type: 'password', name: 'password', 'data-threadline-trait': 'password' }, 'hunter2'),
      field({ type: 'hidden', name: 'token', 'data-threadline-trait': 'token' }, 'secret'),
      field({ type: 'checkbox', name: 'news', 'data-threadline-trait': 'newsletter' }, 'on', { checked: true }),
      field({ type: 'radio', name: 'size', 'data-threadline-trait': 'size' }, 'S', { checked: false }),
      field({ type: 'radio', name: 'size', 'data-threadline-trait': 'size' }, 'M', { checked: true }),
    ]);
    expect(readForm(f)).toEqual({ email: 'ana@example.com', phone: '(415) 555-2671', firstName: 'Ana', newsletter: true, size: 'M' });
  });

  it('prefers a marked field, skips values that are not an address, and takes the first that is', () => {
    const f = form([
      field({ type: 'email', name: 'work' }, 'not an email'),
      field({ type: 'email', name: 'home' }, 'home@example.com'),
      field({ name: 'contact', 'data-threadline-field': 'email' }, 'marked@example.com'),
      field({ type: 'tel' }, '12'),
    ]);
    expect(readForm(f)).toEqual({ email: 'marked@example.com' });
  });

  it('never takes email or phone from a trait mark, ignores unusable trait names and empty values, caps long text', () => {
    const f = form([
      field({ name: 'x', 'data-threadline-trait': 'email' }, 'unchecked'),
      field({ name: 'y', 'data-threadline-trait': '__proto__' }, 'polluted'),
      field({ name: 'z', 'data-threadline-trait': 'nickname' }, '   '),
      field({ name: 'bio', 'data-threadline-trait': 'bio' }, 'x'.repeat(1000), { tag: 'textarea' }),
    ]);
    const traits = readForm(f);
    expect(Object.keys(traits)).toEqual(['bio']);
    expect(traits.bio).toHaveLength(256);
    expect(Object.getPrototypeOf(traits)).toBe(Object.prototype);
  });

  it('answers nothing for a form without fields it may read', () => {
    expect(readForm(form([field({ type: 'password', name: 'email' }, 'ana@example.com')]))).toEqual({});
  });
});

describe('hasContactField', () => {
  it('is true for a form with an email or tel field, filled or not', () => {
    expect(hasContactField(form([field({ name: 'q' }), field({ type: 'tel' })]))).toBe(true);
    expect(hasContactField(form([field({ name: 'q' }), field({ type: 'search', name: 'query' })]))).toBe(false);
  });
});
