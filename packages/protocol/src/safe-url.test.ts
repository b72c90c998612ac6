import { describe, expect, it } from 'vitest';
import { isSafeCtaUrl } from './safe-url.js';

/** Each case a browser would follow somewhere else than the storefront meant, or run as script. */
const UNSAFE = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:text/html,<script>',
  'vbscript:msgbox',
  '//evil.example',
  '/\\evil.example/',
  '/\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  'https://ok.example/\u0000',
  '\u0001/sale',
  'sale',
  'ftp://files.example',
  'https:/evil.example',
  'https:\\\\evil.example',
  '',
];

describe('isSafeCtaUrl', () => {
  it('accepts http(s) URLs and paths on the site', () => {
    for (const ok of ['https://shop.example/sale', 'HTTP://shop.example', '/sale?from=popup', '/', '/a/b#c', '/%5Cx']) {
      expect(isSafeCtaUrl(ok), ok).toBe(true);
    }
  });

  it('refuses script and data URLs, protocol-relative paths in every spelling a browser accepts, and control characters', () => {
    for (const bad of UNSAFE) expect(isSafeCtaUrl(bad), JSON.stringify(bad)).toBe(false);
  });
});
