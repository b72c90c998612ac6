import { describe, expect, it } from 'vitest';
import type { Plugin } from '../../types.js';
import { withForms } from './script-tag.js';

const OPTIONS = { writeKey: 'wk_123', host: 'https://collect.example.com' };

describe('withForms', () => {
  it('leaves the options alone unless init asked for forms', () => {
    expect(withForms(OPTIONS)).toBe(OPTIONS);
    const off = { ...OPTIONS, forms: false };
    expect(withForms(off)).toBe(off);
  });

  it('adds one plugin after the site’s own', () => {
    const own: Plugin = () => {};
    const options = withForms({ ...OPTIONS, plugins: [own], forms: { auto: true } });
    expect(options.plugins).toHaveLength(2);
    expect(options.plugins![0]).toBe(own);
    expect(options.forms).toEqual({ auto: true });
  });
});
