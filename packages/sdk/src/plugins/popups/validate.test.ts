import { describe, expect, it } from 'vitest';
import { isEmail, isPhone, safeUrl } from './validate.js';

describe('capture form checks', () => {
  it('accepts plausible email addresses and refuses typos', () => {
    expect(isEmail('ana@example.com')).toBe(true);
    expect(isEmail(' ana@example.com')).toBe(false);
    for (const bad of ['', 'ana', 'ana@', 'ana@example', 'a na@example.com', '@example.com']) expect(isEmail(bad), bad).toBe(false);
  });

  it('accepts phone numbers as people type them, 7 to 15 digits', () => {
    for (const ok of ['+91 98765 43210', '09876543210', '(555) 123-4567', '+44.20.7946.0958']) expect(isPhone(ok), ok).toBe(true);
    for (const bad of ['', '12345', 'call me', '+1 555 CALL NOW', '1234567890123456']) expect(isPhone(bad), bad).toBe(false);
  });
});

describe('safeUrl', () => {
  it('keeps http(s) URLs and site paths', () => {
    expect(safeUrl('https://shop.example.com/sale')).toBe('https://shop.example.com/sale');
    expect(safeUrl(' /sale?from=popup ')).toBe('/sale?from=popup');
    expect(safeUrl('HTTP://example.com')).toBe('HTTP://example.com');
  });

  it('refuses script, data and protocol-relative URLs, and anything not a string', () => {
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>', '//evil.example', '/\\evil.example', 'sale', undefined, 42]) {
      expect(safeUrl(bad), String(bad)).toBeUndefined();
    }
  });
});
