import { describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify } from '../../test-support/identity.js';

const databases = await testDatabases();
// Opening a PostgreSQL store waits for the suites' schema lock: on a busy shared machine, longer than the 10 s hook default.
vi.setConfig({ hookTimeout: 60_000 });

describe.each(databases)('webhook endpoints API on $name', (store) => {
  const t = useTestApp(store);
  const create = (body: unknown) => t.admin('/api/webhooks', { method: 'POST', body });

  it('creates an endpoint with a whsec_ secret, lists, reads, changes and deletes it', async () => {
    const res = await create({
      url: 'https://hooks.example.com/threadline',
      events: ['profile.created', 'profile.merged'],
      description: 'CRM',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      url: 'https://hooks.example.com/threadline',
      events: ['profile.created', 'profile.merged'],
      description: 'CRM',
      enabled: true,
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    // Standard Webhooks: `whsec_` + base64 of the key (24 random bytes).
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const id = res.body.id;

    expect((await t.admin('/api/webhooks')).body.webhooks).toEqual([res.body]);
    expect((await t.admin(`/api/webhooks/${id}`)).body).toEqual(res.body);
    const patched = await t.admin(`/api/webhooks/${id}`, { method: 'PATCH', body: { events: ['*'], enabled: false } });
    expect(patched).toMatchObject({ status: 200, body: { id, events: ['*'], enabled: false, secret: res.body.secret } });
    expect((await t.admin(`/api/webhooks/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.admin(`/api/webhooks/${id}`)).status).toBe(404);
    expect((await t.admin('/api/webhooks')).body.webhooks).toEqual([]);
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://hooks.example.com/x', events: ['*'] }, 'url'],
    ['a relative URL', { url: '/hook', events: ['*'] }, 'url'],
    ['a URL with credentials', { url: 'https://user:pw@hooks.example.com/x', events: ['*'] }, 'url'],
    ['no URL', { events: ['*'] }, 'url'],
    ['no events', { url: 'https://hooks.example.com/x', events: [] }, 'events'],
    ['an unknown event type', { url: 'https://hooks.example.com/x', events: ['profile.created', 'profile.exploded'] }, 'events.1'],
    ['"*" beside a type', { url: 'https://hooks.example.com/x', events: ['*', 'profile.created'] }, 'events.0'],
    ['a description that is not text', { url: 'https://hooks.example.com/x', events: ['*'], description: 7 }, 'description'],
    ['a body that is not an object', [], 'body'],
  ])('refuses %s with a 400 naming the field', async (_, body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    expect((await t.admin('/api/webhooks')).body.webhooks).toEqual([]);
  });

  it('refuses a PATCH with a bad field and leaves the endpoint as it was', async () => {
    const { body } = await create({ url: 'https://hooks.example.com/x', events: ['*'] });
    const res = await t.admin(`/api/webhooks/${body.id}`, { method: 'PATCH', body: { enabled: 'no' } });
    expect(res).toMatchObject({ status: 400, body: { error: { field: 'enabled' } } });
    expect((await t.admin(`/api/webhooks/${body.id}`)).body).toEqual(body);
    expect((await t.admin('/api/webhooks/unknown', { method: 'PATCH', body: { enabled: false } })).status).toBe(404);
  });

  it('pages an endpoint’s deliveries oldest first with a next cursor', async () => {
    const { body } = await create({ url: 'http://127.0.0.1:9/never', events: ['profile.created'] });
    for (const n of [1, 2, 3]) await identify(t, { anonymousId: `a${n}`, email: `p${n}@example.com` });
    const first = await t.admin(`/api/webhooks/${body.id}/deliveries?limit=2`);
    expect(first.body.deliveries).toHaveLength(2);
    expect(first.body.deliveries[0]).toEqual({
      id: expect.any(String),
      type: 'profile.created',
      profileId: expect.any(String),
      status: 'pending',
      attempts: 0,
      lastStatus: null,
      lastError: null,
      createdAt: '2026-01-01T12:00:00.000Z',
      deliveredAt: null,
      nextAttemptAt: '2026-01-01T12:00:00.000Z',
    });
    const second = await t.admin(`/api/webhooks/${body.id}/deliveries?limit=2&after=${first.body.next}`);
    expect(second.body).toMatchObject({ next: null });
    const ids = [...first.body.deliveries, ...second.body.deliveries].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort()).toEqual(ids);
    expect((await t.admin(`/api/webhooks/${body.id}/deliveries?limit=0`)).body.error).toMatchObject({ field: 'limit' });
    expect((await t.admin('/api/webhooks/unknown/deliveries')).status).toBe(404);
  });

  it('needs the secret key', async () => {
    const res = await t.app.request('/api/webhooks', { headers: { Authorization: `Bearer ${t.writeKey}` } });
    expect(res.status).toBe(401);
  });
});
