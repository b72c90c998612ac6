import { describe, expect, it } from 'vitest';
import { fakeWindow } from '../test-support/fakes.js';
import { buildContext, campaign, pageDefaults } from './context.js';
import { VERSION } from './version.js';
import pkg from '../../package.json' with { type: 'json' };

describe('pageDefaults', () => {
  it('describes the page as Segment does, without the fragment', () => {
    expect(pageDefaults(fakeWindow('https://shop.example.com/shoes?size=42#reviews'))).toEqual({
      path: '/shoes',
      referrer: 'https://search.example/',
      search: '?size=42',
      title: 'Shoes',
      url: 'https://shop.example.com/shoes?size=42',
    });
  });

  it('prefers the canonical link and keeps the query when the canonical URL has none', () => {
    const win = fakeWindow('https://shop.example.com/p/123?utm_source=x');
    win.document.querySelector = (() => ({ href: 'https://example.com/shoes/red' })) as never;
    expect(pageDefaults(win)).toMatchObject({ path: '/shoes/red', url: 'https://example.com/shoes/red?utm_source=x' });
  });
});

describe('campaign', () => {
  it('maps utm_* parameters to Segment campaign fields', () => {
    expect(campaign('?utm_campaign=spring&utm_source=news&utm_medium=email&utm_term=shoes&utm_content=hero&x=1')).toEqual({
      name: 'spring',
      source: 'news',
      medium: 'email',
      term: 'shoes',
      content: 'hero',
    });
  });

  it('decodes values', () => {
    expect(campaign('?utm_campaign=spring%20sale')).toEqual({ name: 'spring sale' });
  });

  it('is absent without utm parameters', () => {
    expect(campaign('?page=2&utm_=x')).toBeUndefined();
  });
});

describe('buildContext', () => {
  it('carries library, page, campaign, locale and user agent', () => {
    const context = buildContext(fakeWindow());
    expect(context).toMatchObject({
      library: { name: 'threadline', version: VERSION },
      page: { path: '/shoes', search: '?utm_source=news&utm_campaign=spring' },
      campaign: { source: 'news', name: 'spring' },
      locale: 'en-GB',
      userAgent: 'TestAgent/1.0',
    });
  });

  it('reports the package version', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
