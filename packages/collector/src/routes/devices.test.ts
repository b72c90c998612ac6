import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, logOf, profileOf } from '../test-support/identity.js';
import { reachability, registerDevice, suppress } from '../test-support/reach.js';

const databases = await testDatabases();
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.each(databases)('devices on $name', (store) => {
  const t = useTestApp(store);
  const viewOf = async (id: string) => (await t.admin(`/api/profiles/${id}`)).body;

  it('registers a token on the visitor profile and shows it in the view', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    const d = await registerDevice(t, { anonymousId: 'v1', token: ' apns-1 ', platform: 'ios' });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    expect(d).toEqual({ token: 'apns-1', platform: 'ios', enabled: true, updatedAt: '2026-01-01T12:00:00.000Z', profileId: ana!.id });
    expect((await viewOf(ana!.id)).devices).toEqual([
      { token: 'apns-1', platform: 'ios', enabled: true, updatedAt: '2026-01-01T12:00:00.000Z' },
    ]);
    expect((await logOf(t, ana!.id)).at(-1)).toMatchObject({ type: 'device_changed', details: { action: 'registered', token: 'apns-1' } });
    expect(await reachability(t)).toMatchObject({ push: 1, webpush: 0 });
  });

  it('counts a web push subscription on webpush, and only for contacts (not anonymous visitors)', async () => {
    const subscription = { endpoint: 'https://push.example/abc', keys: { p256dh: 'k', auth: 'a' } };
    await registerDevice(t, { anonymousId: 'v1', token: 'https://push.example/abc', platform: 'web', subscription });
    expect(await reachability(t)).toMatchObject({ webpush: 0 });
    await identify(t, { anonymousId: 'v1', phone: '+14155552671' });
    expect(await reachability(t)).toMatchObject({ webpush: 1, push: 0 });
  });

  it('moves a token to the next person who registers it, logging device_changed on both', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
    await identify(t, { anonymousId: 'b1', email: 'bo@example.com' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    const bo = (await profileOf(t, 'email', 'bo@example.com'))!.id;
    await registerDevice(t, { anonymousId: 'a1', token: 'fcm-shared', platform: 'android' });
    t.tick(1000);
    await registerDevice(t, { anonymousId: 'b1', token: 'fcm-shared', platform: 'android' });
    expect((await viewOf(ana)).devices).toEqual([]);
    expect((await viewOf(bo)).devices).toEqual([expect.objectContaining({ token: 'fcm-shared', enabled: true })]);
    expect((await logOf(t, ana)).at(-1)).toMatchObject({ type: 'device_changed', details: { action: 'moved_out', to: bo } });
    expect((await logOf(t, bo)).at(-1)).toMatchObject({ type: 'device_changed', details: { action: 'moved_in', from: ana } });
    expect(await reachability(t)).toMatchObject({ push: 1 });
  });

  it('moves a token to whoever identifies with it in context.device.token, and registers an app token seen first there', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    await registerDevice(t, { anonymousId: 'a1', token: 'fcm-shared', platform: 'android' });
    const identifyOn = async (anonymousId: string, email: string, device: Record<string, unknown>) => {
      const res = await t.send('/v1/identify', { messageId: randomUUID(), anonymousId, traits: { email }, context: { device } });
      expect(res.status).toBe(200);
    };
    await identifyOn('b1', 'bo@example.com', { token: 'fcm-shared', type: 'android' });
    const bo = (await profileOf(t, 'email', 'bo@example.com'))!.id;
    expect((await viewOf(ana)).devices).toEqual([]);
    expect((await viewOf(bo)).devices).toEqual([expect.objectContaining({ token: 'fcm-shared', platform: 'android', enabled: true })]);
    expect((await logOf(t, ana)).at(-1)).toMatchObject({ type: 'device_changed', details: { action: 'moved_out', to: bo } });

    await identifyOn('c1', 'cy@example.com', { token: 'apns-new', type: 'ios' });
    const cy = (await profileOf(t, 'email', 'cy@example.com'))!.id;
    expect((await viewOf(cy)).devices).toEqual([expect.objectContaining({ token: 'apns-new', platform: 'ios' })]);
    await identifyOn('c1', 'cy@example.com', { token: 'no-platform-known' });
    expect((await viewOf(cy)).devices).toHaveLength(1);
    expect(await reachability(t)).toMatchObject({ push: 2 });
  });

  it('disables a token on DELETE with the write key (query or HTTP Basic), and 404s an unknown one', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    await registerDevice(t, { anonymousId: 'v1', token: 'fcm-1', platform: 'android' });
    const del = (token: string, init: RequestInit = {}, query = '') =>
      t.app.request(`/v1/devices/${token}${query}`, { method: 'DELETE', ...init });
    expect((await del('fcm-1')).status).toBe(401);
    expect((await del('fcm-1', {}, `?writeKey=${t.writeKey}`)).status).toBe(204);
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    expect((await viewOf(ana)).devices).toEqual([expect.objectContaining({ enabled: false })]);
    expect(await reachability(t)).toMatchObject({ push: 0 });
    expect((await del('unknown', { headers: { Authorization: basic(t.writeKey) } })).status).toBe(404);
    await registerDevice(t, { anonymousId: 'v1', token: 'fcm-1', platform: 'android' });
    expect(await reachability(t)).toMatchObject({ push: 1 });
  });

  it('answers CORS for a storefront origin, preflight included', async () => {
    const pre = await t.app.request('/v1/devices/x', { method: 'OPTIONS', headers: { Origin: 'https://shop.example' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('DELETE');
    const res = await t.send('/v1/devices', { anonymousId: 'v1', token: 't', platform: 'ios' });
    expect(res.status).toBe(201);
  });

  it('refuses a body without a token, platform or visitor, naming the field', async () => {
    const field = async (body: unknown) => (await (await t.send('/v1/devices', body)).json()).error.field;
    expect(await field({ anonymousId: 'v1', platform: 'ios' })).toBe('token');
    expect(await field({ anonymousId: 'v1', token: 't', platform: 'blackberry' })).toBe('platform');
    expect(await field({ token: 't', platform: 'ios' })).toBe('anonymousId');
    expect(await field({ anonymousId: 'v1', token: 't', platform: 'ios', subscription: { endpoint: 'x', keys: {} } })).toBe('subscription');
  });

  it("suppresses a profile's push devices by operator action and the segment condition sees it", async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    await registerDevice(t, { anonymousId: 'v1', token: 'fcm-1', platform: 'android' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    const res = await t.admin(`/api/profiles/${ana}/suppressions`, { method: 'POST', body: { channel: 'push' } });
    expect(res.status).toBe(201);
    expect(res.body.suppressions).toEqual([expect.objectContaining({ channel: 'push', address: 'fcm-1', reason: 'operator' })]);
    expect(await reachability(t)).toMatchObject({ push: 0, email: 1 });
    const preview = (definition: unknown) => t.admin('/api/segments/preview', { method: 'POST', body: { definition } });
    expect((await preview({ suppressed: 'push', is: true })).body).toMatchObject({ size: 1, reachability: { push: 0, email: 1 } });
    expect((await preview({ suppressed: 'webpush', is: true })).body.size).toBe(0);
    // A token the profile does not hold changes nothing for it.
    await suppress(t, 'push', 'fcm-other');
    expect((await preview({ suppressed: 'push', is: true })).body.size).toBe(1);
  });
});
