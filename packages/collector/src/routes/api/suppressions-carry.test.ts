import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, logOf, profileOf } from '../../test-support/identity.js';
import { reachability, registerDevice, suppress } from '../../test-support/reach.js';

const databases = await testDatabases();
const PHONE = '+14155552671';

/** SPEC §4: opt-outs are kept by address, so they follow the address through merge, unmerge and deletion. */
describe.each(databases)('suppressions through the identity graph on $name', (store) => {
  const t = useTestApp(store);
  const viewOf = async (id: string) => (await t.admin(`/api/profiles/${id}`)).body;
  const channelsOf = async (id: string) => (await viewOf(id)).suppressions.map((s: { channel: string }) => s.channel).sort();

  it('suppress while anonymous, identify, merge: still suppressed on the survivor; unmerge leaves it with the address', async () => {
    await suppress(t, 'sms', PHONE, 'provider_opt_out');
    await identify(t, { anonymousId: 'walk-in', phone: PHONE });
    const walkIn = (await profileOf(t, 'phone', PHONE))!.id;
    expect(await channelsOf(walkIn)).toEqual(['sms']);

    await identify(t, { anonymousId: 'web', email: 'ana@example.com' });
    await identify(t, { anonymousId: 'web', email: 'ana@example.com', phone: PHONE });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    expect((await profileOf(t, 'phone', PHONE))!.id).toBe(ana.id);
    expect(await channelsOf(ana.id)).toEqual(['sms']);
    expect(await reachability(t)).toMatchObject({ email: 1, sms: 0, whatsapp: 1 });

    const merged = (await logOf(t, ana.id)).find((e) => e.type === 'merged');
    const un = await t.admin(`/api/profiles/${ana.id}/unmerge`, { method: 'POST', body: { logId: merged!.id } });
    expect(un.status).toBe(200);
    expect(await channelsOf(ana.id)).toEqual([]);
    expect(await channelsOf(walkIn)).toEqual(['sms']);
  });

  it('keeps a deleted profile address suppressed: the person who returns with it is still opted out', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com', phone: PHONE });
    await registerDevice(t, { anonymousId: 'v1', token: 'fcm-1', platform: 'android' });
    await suppress(t, 'email', 'ana@example.com');
    const gone = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    expect((await t.admin(`/api/profiles/${gone}`, { method: 'DELETE' })).status).toBe(204);

    const listed = (await t.admin('/api/suppressions?address=ana@example.com')).body.suppressions;
    expect(listed).toEqual([expect.objectContaining({ channel: 'email', address: 'ana@example.com', profileId: null })]);
    // Everything else went: the device does not count any more, nor belong to anyone.
    expect(await reachability(t)).toEqual({ email: 0, sms: 0, whatsapp: 0, push: 0, webpush: 0 });

    await identify(t, { anonymousId: 'v2', email: 'ana@example.com' });
    const back = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    expect(back).not.toBe(gone);
    expect(await channelsOf(back)).toEqual(['email']);
    expect((await viewOf(back)).devices).toEqual([]);
    expect(await reachability(t)).toMatchObject({ email: 0 });
  });

  it('operator action: suppresses only the chosen channel of one profile (the mobile on SMS or the email on email)', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com', phone: PHONE });
    await identify(t, { anonymousId: 'v2', email: 'bo@example.com', phone: '+14155550100' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    const res = await t.admin(`/api/profiles/${ana}/suppressions`, { method: 'POST', body: { channel: 'sms', source: 'desk' } });
    expect(res.status).toBe(201);
    expect(res.body.suppressions).toEqual([
      { channel: 'sms', address: PHONE, reason: 'operator', source: 'desk', at: '2026-01-01T12:00:00.000Z', profileId: ana },
    ]);
    expect(await reachability(t)).toMatchObject({ email: 2, sms: 1, whatsapp: 2 });
    expect((await logOf(t, ana)).at(-1)).toMatchObject({
      type: 'suppression_changed',
      details: { action: 'suppressed', channel: 'sms', address: PHONE, reason: 'operator', source: 'desk', by: 'operator' },
    });

    await t.admin(`/api/profiles/${ana}/suppressions`, { method: 'POST', body: { channel: 'email' } });
    expect(await reachability(t)).toMatchObject({ email: 1, sms: 1, whatsapp: 2 });
  });

  it('operator action: 409 naming channel when the profile holds no address for it, 404 for an unknown profile', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    const sms = await t.admin(`/api/profiles/${ana}/suppressions`, { method: 'POST', body: { channel: 'sms' } });
    expect(sms.status).toBe(409);
    expect(sms.body.error.field).toBe('channel');
    expect((await t.admin(`/api/profiles/${ana}/suppressions`, { method: 'POST', body: { channel: 'pigeon' } })).body.error.field).toBe(
      'channel',
    );
    expect((await t.admin('/api/profiles/nope/suppressions', { method: 'POST', body: { channel: 'email' } })).status).toBe(404);
  });
});
