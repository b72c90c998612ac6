import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesUrl, pageAllowed } from './url-match.js';

const at = (url: string) => new URL(url);
const page = at('https://shop.example.com/shoes/red-runner?ref=mail&size=42#reviews');

describe('matchesUrl', () => {
  it('compares a value starting with / with the path and query, anything else with the full URL without the hash', () => {
    expect(matchesUrl({ match: 'equals', value: '/shoes/red-runner?ref=mail&size=42' }, page)).toBe(true);
    expect(matchesUrl({ match: 'equals', value: '/shoes/red-runner' }, page)).toBe(false);
    expect(matchesUrl({ match: 'equals', value: 'https://shop.example.com/shoes/red-runner?ref=mail&size=42' }, page)).toBe(true);
    expect(matchesUrl({ match: 'contains', value: '#reviews' }, page)).toBe(false);
  });

  it('contains and startsWith', () => {
    expect(matchesUrl({ match: 'contains', value: 'red-run' }, page)).toBe(true);
    expect(matchesUrl({ match: 'contains', value: 'blue' }, page)).toBe(false);
    expect(matchesUrl({ match: 'startsWith', value: '/shoes/' }, page)).toBe(true);
    expect(matchesUrl({ match: 'startsWith', value: 'https://shop.example.com/shoes' }, page)).toBe(true);
    expect(matchesUrl({ match: 'startsWith', value: '/shirts' }, page)).toBe(false);
  });

  it('glob: * any run of characters, ? exactly one, the rest literally', () => {
    expect(matchesUrl({ match: 'glob', value: '/shoes/*' }, page)).toBe(true);
    expect(matchesUrl({ match: 'glob', value: '/shoes/*?ref=mail&size=4?' }, page)).toBe(true);
    expect(matchesUrl({ match: 'glob', value: '/shoes/*?ref=mail&size=4' }, page)).toBe(false);
    expect(matchesUrl({ match: 'glob', value: 'https://*.example.com/*' }, page)).toBe(true);
    expect(globToRegExp('/a.b').test('/aXb')).toBe(false);
    expect(globToRegExp('/(x)+[y]').test('/(x)+[y]')).toBe(true);
  });

  it('regex: unanchored unless the pattern anchors; a pattern that does not compile matches nothing', () => {
    expect(matchesUrl({ match: 'regex', value: 'red-(runner|walker)' }, page)).toBe(true);
    expect(matchesUrl({ match: 'regex', value: '^/shoes' }, page)).toBe(false); // not a path value: full URL
    expect(matchesUrl({ match: 'regex', value: '^https://shop\\.example\\.com/shoes/' }, page)).toBe(true);
    expect(matchesUrl({ match: 'regex', value: '(unclosed' }, page)).toBe(false);
  });

  it('matches nothing for a kind it does not know', () => {
    expect(matchesUrl({ match: 'soundsLike' as 'equals', value: '/shoes' }, page)).toBe(false);
  });
});

describe('pageAllowed', () => {
  it('allows every page when include is empty or missing', () => {
    expect(pageAllowed({ include: [], exclude: [] }, page)).toBe(true);
    expect(pageAllowed(undefined, page)).toBe(true);
  });

  it('needs one include to match', () => {
    expect(
      pageAllowed(
        {
          include: [
            { match: 'startsWith', value: '/shirts' },
            { match: 'contains', value: 'runner' },
          ],
          exclude: [],
        },
        page,
      ),
    ).toBe(true);
    expect(pageAllowed({ include: [{ match: 'startsWith', value: '/shirts' }], exclude: [] }, page)).toBe(false);
  });

  it('lets an exclude match win over an include', () => {
    const pages = {
      include: [{ match: 'startsWith' as const, value: '/shoes' }],
      exclude: [{ match: 'contains' as const, value: 'ref=mail' }],
    };
    expect(pageAllowed(pages, page)).toBe(false);
    expect(pageAllowed(pages, at('https://shop.example.com/shoes/red-runner'))).toBe(true);
    expect(pageAllowed({ include: [], exclude: [{ match: 'glob', value: '/shoes/*' }] }, page)).toBe(false);
  });
});
