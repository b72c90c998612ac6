import { describe, expect, it } from 'vitest';
import { safeUrl } from './safe-url.js';

describe('safeUrl', () => {
  it('keeps http(s) URLs and site paths', () => {
    expect(safeUrl('https://shop.example.com/sale')).toBe('https://shop.example.com/sale');
    expect(safeUrl(' /sale?from=popup ')).toBe('/sale?from=popup');
    expect(safeUrl('HTTP://example.com')).toBe('HTTP://example.com');
  });

  it('refuses script, data and protocol-relative URLs, and anything not a string', () => {
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>',
      '//evil.example',
      '/\\evil.example',
      '/\\evil.example/',
      '/\t/evil.example',
      'sale',
      undefined,
      42,
    ]) {
      expect(safeUrl(bad), String(bad)).toBeUndefined();
    }
  });
});
