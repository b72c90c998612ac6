import { describe, expect, it } from 'vitest';
import { browserCookieJar } from './cookie-jar.js';

/** document.cookie keeps only name=value pairs, like a browser. */
function fakeDocument() {
  const jar = new Map<string, string>();
  const written: string[] = [];
  return {
    written,
    get cookie() {
      return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(line: string) {
      written.push(line);
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      if (/max-age=-/.test(line)) jar.delete(pair!.slice(0, i));
      else jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    },
  };
}

describe('browserCookieJar', () => {
  it('writes a first-party cookie with path, SameSite=Lax, domain, max-age and Secure', () => {
    const doc = fakeDocument();
    browserCookieJar(doc).set('tl_aid', 'abc', { domain: 'example.com', expires: 400, secure: true });
    expect(doc.written[0]).toBe('tl_aid=abc;path=/;samesite=lax;domain=example.com;max-age=34560000;secure');
  });

  it('reads back an encoded value among other cookies', () => {
    const doc = fakeDocument();
    const jar = browserCookieJar(doc);
    doc.cookie = 'other=1';
    jar.set('tl_aid', 'a b;c');
    expect(jar.get('tl_aid')).toBe('a b;c');
    expect(jar.get('tl_')).toBeUndefined();
  });

  it('removes a cookie by expiring it', () => {
    const doc = fakeDocument();
    const jar = browserCookieJar(doc);
    jar.set('tl_probe', '1');
    jar.remove('tl_probe', { domain: 'example.com' });
    expect(jar.get('tl_probe')).toBeUndefined();
    expect(doc.written[1]).toContain(';domain=example.com;max-age=-');
  });
});
