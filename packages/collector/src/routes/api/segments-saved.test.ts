import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, sendOne } from '../../test-support/identity.js';

const databases = await testDatabases();

describe.each(databases)('saved segments on $name', (store) => {
  const t = useTestApp(store);
  const create = (body: unknown) => t.admin('/api/segments', { method: 'POST', body });

  it('saves, lists, reads with live counts, changes and deletes a segment', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    await sendOne(t, 'page', { anonymousId: 'v2' });
    const made = await create({ name: ' Has email ', definition: { has: 'email' } });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      id: expect.any(String),
      name: 'Has email',
      definition: { has: 'email' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    expect((await t.admin('/api/segments')).body.segments).toEqual([made.body]);
    const read = await t.admin(`/api/segments/${made.body.id}`);
    expect(read.body).toMatchObject({ ...made.body, size: 1, contacts: 1, anonymous: 0, reachability: { email: 1, sms: 0 } });

    t.tick(1000);
    const changed = await t.admin(`/api/segments/${made.body.id}`, { method: 'PATCH', body: { definition: { status: ['anonymous'] } } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Has email', definition: { status: ['anonymous'] } });
    expect(changed.body.updatedAt > made.body.updatedAt).toBe(true);
    expect((await t.admin(`/api/segments/${made.body.id}`)).body).toMatchObject({ size: 1, contacts: 0, anonymous: 1 });

    expect((await t.admin(`/api/segments/${made.body.id}`, { method: 'PATCH', body: { name: 'Visitors' } })).body.name).toBe('Visitors');
    expect((await t.admin(`/api/segments/${made.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.admin(`/api/segments/${made.body.id}`)).status).toBe(404);
    expect((await t.admin('/api/segments')).body.segments).toEqual([]);
  });

  it("pages a segment's profiles in the shape of GET /api/profiles", async () => {
    for (const n of [1, 2, 3]) await identify(t, { anonymousId: `v${n}`, email: `p${n}@example.com`, traits: { plan: 'gold' } });
    await identify(t, { anonymousId: 'v4', email: 'p4@example.com', traits: { plan: 'free' } });
    const { body: segment } = await create({ name: 'gold', definition: { trait: 'plan', op: 'eq', value: 'gold' } });

    const first = await t.admin(`/api/segments/${segment.id}/profiles?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.profiles).toHaveLength(2);
    const second = await t.admin(`/api/segments/${segment.id}/profiles?limit=2&after=${first.body.next}`);
    expect(second.body).toMatchObject({ next: null });
    const members = [...first.body.profiles, ...second.body.profiles];
    expect(members.map((p: { email: string }) => p.email).sort()).toEqual(['p1@example.com', 'p2@example.com', 'p3@example.com']);
    const direct = await t.admin(`/api/profiles/${members[0].id}`);
    expect(members[0]).toEqual(direct.body);
    expect((await t.admin(`/api/segments/${segment.id}/profiles?status=anonymous`)).body.profiles).toEqual([]);
  });

  it('answers 404 for an unknown segment on every route', async () => {
    for (const [method, path] of [
      ['GET', '/api/segments/nope'],
      ['PATCH', '/api/segments/nope'],
      ['DELETE', '/api/segments/nope'],
      ['GET', '/api/segments/nope/profiles'],
      ['GET', '/api/reports/profiles?segment=nope'],
    ] as const) {
      const res = await t.admin(path, { method, body: method === 'PATCH' ? { name: 'x' } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found' });
    }
  });

  it.each([
    [
      { name: 'x', definition: { all: [{ has: 'email' }, { status: ['identified'] }, { event: 'Order Completed', within: { days: 0 } }] } },
      'definition.all.2.within.days',
    ],
    [{ name: 'x', definition: { all: [{ event: 'Order Completed', within: { weeks: 2 } }] } }, 'definition.all.0.within.weeks'],
    [{ name: 'x', definition: { event: 'Order Completed', within: { hours: 2, minutes: 30 } } }, 'definition.within'],
    [{ name: 'x', definition: { event: 'Order Completed', within: {} } }, 'definition.within'],
    [{ name: 'x', definition: { event: 'Order Completed', within: { minutes: 1.5 } } }, 'definition.within.minutes'],
    [{ name: 'x', definition: { any: [{ trait: 'plan', op: 'like', value: 'g%' }] } }, 'definition.any.0.op'],
    [{ name: 'x', definition: { trait: 'plan', op: 'in', value: 'gold' } }, 'definition.value'],
    [{ name: 'x', definition: { trait: 'a"b', op: 'exists' } }, 'definition.trait'],
    [{ name: 'x', definition: { event: 'X', where: [{ property: 'sku', op: 'eq' }] } }, 'definition.where.0.value'],
    [{ name: 'x', definition: { event: 'X', atLeast: 0 } }, 'definition.atLeast'],
    [{ name: 'x', definition: { status: ['vip'] } }, 'definition.status.0'],
    [{ name: 'x', definition: { has: 'fax' } }, 'definition.has'],
    [{ name: 'x', definition: { suppressed: 'pigeon', is: true } }, 'definition.suppressed'],
    [{ name: 'x', definition: { suppressed: 'email' } }, 'definition.is'],
    [{ name: 'x', definition: { not: { banana: 1 } } }, 'definition.not'],
    [{ name: 'x', definition: { all: [] } }, 'definition.all'],
    [{ name: 'x', definition: { not: { not: { not: { not: { not: { all: [{ has: 'email' }] } } } } } } }, 'definition.not.not.not.not.not'],
    [{ name: 'x', definition: { any: Array.from({ length: 51 }, () => ({ has: 'email' })) } }, 'definition.any.50'],
    [{ name: 'x', definition: '<script>alert(1)</script>' }, 'definition'],
    [{ name: 'x' }, 'definition'],
    [{ name: '', definition: { has: 'email' } }, 'name'],
    [{ name: 42, definition: { has: 'email' } }, 'name'],
    [{ definition: { has: 'email' } }, 'name'],
  ])('refuses %j with 400 naming %s, and saves nothing', async (body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field, message: expect.stringContaining(field) });
    expect((await t.admin('/api/segments')).body.segments).toEqual([]);
  });

  it('names the field at fault in a preview and a change, and keeps the saved definition', async () => {
    const preview = await t.admin('/api/segments/preview', {
      method: 'POST',
      body: { definition: { all: [{ has: 'email' }, { trait: 'ltv', op: 'gt', value: [1] }] } },
    });
    expect(preview.status).toBe(400);
    expect(preview.body.error.field).toBe('definition.all.1.value');
    expect((await t.admin('/api/segments/preview', { method: 'POST', body: [] })).body.error.field).toBe('body');

    const { body: segment } = await create({ name: 'x', definition: { has: 'email' } });
    const patch = await t.admin(`/api/segments/${segment.id}`, {
      method: 'PATCH',
      body: { definition: { has: 'email', status: ['identified'] } },
    });
    expect(patch.body.error.field).toBe('definition.has');
    expect((await t.admin(`/api/segments/${segment.id}`, { method: 'PATCH', body: { colour: 'red' } })).body.error.field).toBe('colour');
    expect((await t.admin(`/api/segments/${segment.id}`)).body.definition).toEqual({ has: 'email' });
  });

  it('refuses a body that is not JSON, and one far larger than any segment', async () => {
    const headers = { Authorization: `Bearer ${t.secretKey}`, 'Content-Type': 'application/json' };
    const notJson = await t.app.request('/api/segments/preview', { method: 'POST', headers, body: '{"definition":' });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.field).toBe('body');
    const huge = await t.app.request('/api/segments', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'x'.repeat(100_000), definition: { has: 'email' } }),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses the write key and no key on segments and reports', async () => {
    const basic = `Basic ${Buffer.from(`${t.writeKey}:`).toString('base64')}`;
    for (const path of ['/api/segments', '/api/reports/profiles']) {
      expect((await t.app.request(path, { headers: { Authorization: basic } })).status).toBe(401);
      expect((await t.app.request(path, { headers: { Authorization: `Bearer ${t.writeKey}` } })).status).toBe(401);
      expect((await t.app.request(path)).status).toBe(401);
    }
    const preview = await t.app.request('/api/segments/preview', {
      method: 'POST',
      headers: { Authorization: basic },
      body: JSON.stringify({ writeKey: t.writeKey, definition: { has: 'email' } }),
    });
    expect(preview.status).toBe(401);
  });
});
