import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { ORIGIN, postSignIn, signedIn } from '../../test-support/console.js';
import { testDatabases } from '../../test-support/databases.js';

const PAGES = [
  '/console',
  '/console/people',
  '/console/segments',
  '/console/imports',
  '/console/popups',
  '/console/popups/new',
  '/console/settings',
  '/console/webhooks',
  '/console/triggers',
];

describe.each(await testDatabases())('console security ($name)', (store) => {
  const t = useTestApp(store);

  it('sends every console page to the sign-in page without a session, remembering where it was going', async () => {
    for (const path of [...PAGES, '/console/people/some-id', '/console/live']) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe(`/console/sign-in?next=${encodeURIComponent(path)}`);
    }
    const post = await t.app.request('/console/settings', { method: 'POST', headers: { Origin: ORIGIN }, body: new URLSearchParams() });
    expect(post.headers.get('location')).toBe('/console/sign-in');
    expect((await t.app.request('/')).headers.get('location')).toBe('/console');
  });

  it('refuses a wrong key, the write key included, and signs in with the secret key into an HttpOnly, SameSite=Strict, expiring cookie', async () => {
    expect((await postSignIn(t, 'nope')).status).toBe(401);
    expect((await postSignIn(t, t.writeKey)).status).toBe(401);
    const agent = await signedIn(t);
    expect(agent.setCookie).toMatch(/^tl_console_v1=[\w-]{40,};/);
    expect(agent.setCookie).toMatch(/HttpOnly/);
    expect(agent.setCookie).toMatch(/SameSite=Strict/);
    expect(agent.setCookie).toMatch(/Path=\/console/);
    expect(agent.setCookie).toMatch(/Expires=/);
    expect(agent.setCookie).not.toMatch(/Secure/); // plain http here; https adds it (below)
    const https = await t.app.request('https://console.example/console/sign-in', {
      method: 'POST',
      headers: { Origin: 'https://console.example' },
      body: new URLSearchParams({ secretKey: t.secretKey }),
    });
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('expires a session after its lifetime', async () => {
    const agent = await signedIn(t);
    expect((await agent.get('/console')).status).toBe(200);
    t.tick(13 * 60 * 60 * 1000);
    expect((await agent.get('/console')).status).toBe(303);
  });

  it('refuses a changing post without the CSRF token, with a wrong one, or from another origin', async () => {
    const agent = await signedIn(t);
    const patch = { defaultCountry: 'IN', traitConflictPolicy: 'survivor', hardBounceThreshold: '3', blockList: '' };
    expect((await agent.post('/console/settings', patch, { csrf: false })).status).toBe(403);
    expect((await agent.post('/console/settings', { ...patch, _csrf: 'forged' }, { csrf: false })).status).toBe(403);
    const token = await agent.csrf();
    const cross = await t.app.request('/console/settings', {
      method: 'POST',
      headers: { Cookie: agent.cookie, Origin: 'https://evil.example' },
      body: new URLSearchParams({ ...patch, _csrf: token }),
    });
    expect(cross.status).toBe(403);
    expect((await t.admin('/api/settings')).body.defaultCountry).toBe('US');
    expect((await agent.post('/console/settings', patch)).status).toBe(200);
    expect((await t.admin('/api/settings')).body.defaultCountry).toBe('IN');
  });

  it('refuses every new changing form (suppress, lift, webhook, trigger) without the CSRF token', async () => {
    await t.send('/v1/identify', { anonymousId: 'a', traits: { email: 'ana@example.com' } });
    const ana = (await t.admin('/api/profiles/lookup?email=ana@example.com')).body.id as string;
    const agent = await signedIn(t);
    const posts: Array<[string, Record<string, string>]> = [
      [`/console/people/${ana}/suppressions`, { channel: 'email' }],
      [
        `/console/people/${ana}/suppressions/lift`,
        { channel: 'email', address: 'ana@example.com', source: 'x', at: '2026-01-01T00:00:00Z' },
      ],
      ['/console/webhooks', { url: 'https://hooks.example.com/t', events: '*' }],
      ['/console/triggers', { name: 'x', condition: '{"has":"email"}', channel: 'email', waitFor: '1', waitUnit: 'hours' }],
    ];
    for (const [path, fields] of posts) expect((await agent.post(path, fields, { csrf: false })).status, path).toBe(403);
    expect((await t.admin('/api/suppressions')).body.suppressions).toEqual([]);
    expect((await t.admin('/api/webhooks')).body.webhooks).toEqual([]);
    expect((await t.admin('/api/triggers')).body.triggers).toEqual([]);
  });

  it('never puts the secret key in a page, and serves a strict CSP with every page', async () => {
    const agent = await signedIn(t);
    const script = await (await t.app.request('/console/assets/console.js')).text();
    expect(script).toContain('data-live');
    expect(script).not.toContain(t.secretKey);
    for (const path of PAGES) {
      const { status, html, res } = await agent.get(path);
      expect(status, path).toBe(200);
      expect(html, path).not.toContain(t.secretKey);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/default-src 'none'/);
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await agent.get('/console/settings')).html).toContain(t.writeKey);
  });

  it('signs out: the session ends on the server, so the old cookie is refused', async () => {
    const agent = await signedIn(t);
    const out = await agent.post('/console/sign-out', {});
    expect(out.status).toBe(303);
    expect(out.res.headers.get('set-cookie')).toMatch(/tl_console_v1=;/);
    expect((await agent.get('/console')).status).toBe(303);
  });
});
