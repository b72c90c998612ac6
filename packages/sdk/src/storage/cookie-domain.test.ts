import { describe, expect, it } from 'vitest';
import { fakeCookieJar } from '../test-support/fakes.js';
import { probeCookieDomain } from './cookie-domain.js';

describe('probeCookieDomain', () => {
  it('finds the registrable domain so www. and shop. share the cookie', () => {
    const jar = fakeCookieJar('shop.example.com');
    expect(probeCookieDomain('shop.example.com', jar)).toBe('example.com');
  });

  it('tries the shortest suffix first and skips public suffixes the browser refuses', () => {
    const jar = fakeCookieJar('www.shop.example.co.uk');
    expect(probeCookieDomain('www.shop.example.co.uk', jar)).toBe('example.co.uk');
    expect(jar.writes.map((w) => w.attributes.domain)).toEqual(['co.uk', 'example.co.uk']);
  });

  it('removes its test cookie', () => {
    const jar = fakeCookieJar('shop.example.com');
    probeCookieDomain('shop.example.com', jar);
    expect(jar.cookies.size).toBe(0);
  });

  it.each(['localhost', '127.0.0.1', '[::1]', '::1', 'intranet'])('sets no domain attribute on %s', (host) => {
    const jar = fakeCookieJar(host);
    expect(probeCookieDomain(host, jar)).toBeUndefined();
    expect(jar.writes).toEqual([]);
  });

  it('answers undefined when no suffix sticks (cookies blocked)', () => {
    const jar = fakeCookieJar('shop.example.com', ['com', 'example.com', 'shop.example.com']);
    expect(probeCookieDomain('shop.example.com', jar)).toBeUndefined();
  });
});
