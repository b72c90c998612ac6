import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { probeCookieDomain } from './cookie-domain.js';
import { browserCookieJar } from './cookie-jar.js';

/**
 * `document` with a cookie property that behaves like a browser's: the setter
 * takes one `name=value; attr…` line, keeps only name=value, deletes on an
 * expiry in the past and refuses a domain the host is not under or that is a
 * public suffix; the getter answers `a=1; b=2`. `written` keeps every line.
 */
function fakeDocument(host = 'shop.example.com', publicSuffixes = ['com', 'co.uk', 'uk']) {
  const jar = new Map<string, string>();
  const written: string[] = [];
  return {
    written,
    get cookie() {
      return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(line: string) {
      written.push(line);
      const [pair, ...attrs] = line.split(/;\s*/);
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const attr = (key: string) => attrs.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const domain = attr('domain')?.replace(/^\./, '');
      if (domain && (publicSuffixes.includes(domain) || !(host === domain || host.endsWith(`.${domain}`)))) return;
      const expires = attr('expires');
      if (expires && Date.parse(expires) <= Date.now()) jar.delete(name);
      else jar.set(name, pair!.slice(i + 1));
    },
  };
}

/** A written cookie line as its name=value and a map of lower-cased attribute names. */
function parse(line: string) {
  const [pair, ...attrs] = line.split('; ');
  return { pair, attrs: Object.fromEntries(attrs.map((a) => [a.split('=')[0]!.toLowerCase(), a.split('=')[1] ?? true])) };
}

describe('browserCookieJar (js-cookie)', () => {
  let doc: ReturnType<typeof fakeDocument>;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2025-03-01T10:00:00.000Z') });
    doc = fakeDocument();
    vi.stubGlobal('document', doc);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('writes a first-party cookie with path /, SameSite=Lax, domain, expires in days and Secure', () => {
    browserCookieJar().set('tl_aid', 'abc', { domain: 'example.com', expires: 400, secure: true });
    expect(doc.written).toHaveLength(1);
    expect(parse(doc.written[0]!)).toEqual({
      pair: 'tl_aid=abc',
      attrs: { path: '/', samesite: 'Lax', domain: 'example.com', expires: 'Sun, 05 Apr 2026 10:00:00 GMT', secure: true },
    });
  });

  it('writes a host-only session cookie without Secure when those attributes are absent or false', () => {
    browserCookieJar().set('tl_aid', 'abc', { domain: undefined, secure: false });
    expect(parse(doc.written[0]!)).toEqual({ pair: 'tl_aid=abc', attrs: { path: '/', samesite: 'Lax' } });
  });

  it('reads back an encoded value among other cookies', () => {
    const jar = browserCookieJar();
    doc.cookie = 'other=1';
    jar.set('tl_aid', 'a b;c');
    expect(parse(doc.written[1]!).pair).toBe('tl_aid=a%20b%3Bc');
    expect(jar.get('tl_aid')).toBe('a b;c');
    expect(jar.get('other')).toBe('1');
    expect(jar.get('tl_')).toBeUndefined();
  });

  it('removes a cookie by expiring it with the same path and domain', () => {
    const jar = browserCookieJar();
    jar.set('tl_probe', '1', { domain: 'example.com' });
    expect(jar.get('tl_probe')).toBe('1');
    jar.remove('tl_probe', { domain: 'example.com' });
    expect(jar.get('tl_probe')).toBeUndefined();
    const { attrs } = parse(doc.written[1]!);
    expect(attrs).toMatchObject({ path: '/', samesite: 'Lax', domain: 'example.com' });
    expect(Date.parse(attrs.expires as string)).toBeLessThan(Date.now());
  });

  it('lets domain probing find the registrable domain and leave no test cookie', () => {
    doc = fakeDocument('www.shop.example.co.uk');
    vi.stubGlobal('document', doc);
    expect(probeCookieDomain('www.shop.example.co.uk', browserCookieJar())).toBe('example.co.uk');
    expect(doc.cookie).toBe('');
  });
});
