import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { trackMessage } from '../test-support/identity.js';

const databases = await testDatabases();

/** SPEC §8: the HttpOnly first-party cookie a collector behind the site's own domain sets and reads back. */
describe.each(databases)('first-party ID cookie on $name', (store) => {
  const t = useTestApp(store);
  const batch = (headers: Record<string, string>, ...anonymousIds: string[]) =>
    Promise.resolve(
      t.app.request('/v1/batch', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', ...headers },
        body: JSON.stringify({ writeKey: t.writeKey, batch: anonymousIds.map((a, i) => trackMessage(`m-${a}-${i}`, a, 'Product Viewed')) }),
      }),
    );

  it("sets tl_said HttpOnly, SameSite=Lax, without Path, to the newest message's anonymous ID on a same-origin batch", async () => {
    const res = await batch({ 'Sec-Fetch-Site': 'same-origin', Origin: 'http://shop.example' }, 'aid-old', 'aid-new');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2 });
    expect(res.headers.get('set-cookie')).toBe(`tl_said=aid-new; Max-Age=${400 * 86400}; HttpOnly; SameSite=Lax`);
  });

  it('adds Secure when the page is https (the proxy says so, or the Origin does)', async () => {
    const viaProxy = await batch({ 'Sec-Fetch-Site': 'same-origin', 'X-Forwarded-Proto': 'https' }, 'a1');
    expect(viaProxy.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    const viaOrigin = await batch({ 'Sec-Fetch-Site': 'same-origin', Origin: 'https://shop.example' }, 'a2');
    expect(viaOrigin.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('without Fetch Metadata, takes an Origin naming the forwarded host as same-origin', async () => {
    const res = await batch({ Origin: 'https://shop.example', 'X-Forwarded-Host': 'shop.example', Host: 'collector:8787' }, 'a3');
    expect(res.headers.get('set-cookie')).toMatch(/^tl_said=a3;/);
  });

  it.each([
    ['a cross-site storefront', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://shop.example' }],
    ['a same-site subdomain', { 'Sec-Fetch-Site': 'same-site', Origin: 'https://www.shop.example' }],
    ['a server without Origin', {}],
    ['an Origin of another host', { Origin: 'https://evil.example', Host: 'shop.example' }],
  ])('sets no cookie for %s', async (_, headers) => {
    const res = await batch(headers as Record<string, string>, 'a4');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sets no cookie when the batch is refused', async () => {
    const res = await Promise.resolve(
      t.app.request('/v1/batch', {
        method: 'POST',
        headers: { 'Sec-Fetch-Site': 'same-origin' },
        body: JSON.stringify({ writeKey: 'wrong', batch: [] }),
      }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sets it from a single-message endpoint too', async () => {
    const res = await Promise.resolve(
      t.app.request('/v1/track', {
        method: 'POST',
        headers: { 'Sec-Fetch-Site': 'same-origin' },
        body: JSON.stringify({ writeKey: t.writeKey, ...trackMessage('single-1', 'aid-single', 'Product Viewed') }),
      }),
    );
    expect(res.headers.get('set-cookie')).toMatch(/^tl_said=aid-single;/);
  });

  it('GET /v1/id answers the ID the cookie holds, uncached, and null without one', async () => {
    const res = await Promise.resolve(t.app.request('/v1/id', { headers: { Cookie: 'tl_aid=x; tl_said=aid-kept' } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ anonymousId: 'aid-kept' });
    const none = await Promise.resolve(t.app.request('/v1/id'));
    expect(await none.json()).toEqual({ anonymousId: null });
  });

  it('DELETE /v1/id expires the cookie', async () => {
    const res = await Promise.resolve(t.app.request('/v1/id', { method: 'DELETE', headers: { Cookie: 'tl_said=aid-kept' } }));
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toBe('tl_said=; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it('allows DELETE in the CORS preflight of /v1/* (device removal, SPEC §9)', async () => {
    const res = await Promise.resolve(
      t.app.request('/v1/devices/abc', {
        method: 'OPTIONS',
        headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'DELETE' },
      }),
    );
    expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
  });
});
