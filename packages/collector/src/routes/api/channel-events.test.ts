import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, logOf, profileOf } from '../../test-support/identity.js';
import { channelEvents, EVIDENCE, reachability, registerDevice } from '../../test-support/reach.js';

const databases = await testDatabases();

describe.each(databases)('provider channel events on $name', (store) => {
  const t = useTestApp(store);
  const listed = async (channel: string) => (await t.admin(`/api/suppressions?channel=${channel}`)).body.suppressions;

  it('answers each event: accepted ones applied, rejected ones by index and field', async () => {
    const result = await channelEvents(t, [
      { type: 'unsubscribe', channel: 'email', address: 'Ana@Example.com', provider: 'sendgrid', at: '2026-01-01T10:00:00Z' },
      { type: 'explode', channel: 'email', address: 'b@x.com' },
      { type: 'opt_out', channel: 'whatsapp', address: 'nope' },
      { type: 'opt_in', channel: 'sms', address: '+14155552671' },
      { type: 'opt_out', channel: 'sms', address: '+14155552671', colour: 'red' },
      'text',
    ]);
    expect(result).toEqual({
      accepted: 1,
      rejected: [
        { index: 1, field: 'type', reason: expect.any(String) },
        { index: 2, field: 'address', reason: expect.any(String) },
        { index: 3, field: 'evidence', reason: expect.stringContaining('required') },
        { index: 4, field: 'colour', reason: expect.any(String) },
        { index: 5, field: '(event)', reason: expect.any(String) },
      ],
    });
    expect(await listed('email')).toEqual([
      {
        channel: 'email',
        address: 'ana@example.com',
        reason: 'unsubscribed',
        source: 'sendgrid',
        at: '2026-01-01T10:00:00.000Z',
        profileId: null,
      },
    ]);
  });

  it('suppresses an address on the hard bounce that reaches the threshold, not before; soft bounces never', async () => {
    await t.admin('/api/settings', { method: 'PATCH', body: { hardBounceThreshold: 3 } });
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    const soft = Array.from({ length: 5 }, () => ({ type: 'soft_bounce', channel: 'email', address: 'ana@example.com' }));
    expect((await channelEvents(t, soft)).accepted).toBe(5);
    const hard = { type: 'hard_bounce', channel: 'email', address: 'ana@example.com' };
    await channelEvents(t, [hard, hard]);
    expect(await listed('email')).toEqual([]);
    expect(await reachability(t)).toMatchObject({ email: 1 });
    await channelEvents(t, [hard]);
    expect(await listed('email')).toEqual([expect.objectContaining({ reason: 'hard_bounce', address: 'ana@example.com' })]);
    expect(await reachability(t)).toMatchObject({ email: 0 });
    const p = await profileOf(t, 'email', 'ana@example.com');
    expect((await logOf(t, p!.id)).find((e) => e.type === 'suppression_changed')?.details).toMatchObject({
      reason: 'hard_bounce',
      by: 'provider',
    });
  });

  it('counts again from zero after a lift', async () => {
    await t.admin('/api/settings', { method: 'PATCH', body: { hardBounceThreshold: 2 } });
    const hard = { type: 'hard_bounce', channel: 'email', address: 'ana@example.com' };
    await channelEvents(t, [hard, hard]);
    await channelEvents(t, [{ type: 'opt_in', channel: 'email', address: 'ana@example.com', evidence: EVIDENCE }]);
    expect(await listed('email')).toEqual([]);
    await channelEvents(t, [hard]);
    expect(await listed('email')).toEqual([]);
    await channelEvents(t, [hard]);
    expect(await listed('email')).toHaveLength(1);
  });

  it('takes a WhatsApp STOP as an opt-out of that number on WhatsApp only, and an opt-in with evidence lifts it', async () => {
    await identify(t, { anonymousId: 'v1', phone: '+14155552671' });
    await channelEvents(t, [{ type: 'opt_out', channel: 'whatsapp', address: '+1 415 555 2671', provider: 'twilio' }]);
    expect(await reachability(t)).toMatchObject({ whatsapp: 0, sms: 1 });
    await channelEvents(t, [{ type: 'opt_in', channel: 'whatsapp', address: '+14155552671', evidence: EVIDENCE }]);
    expect(await reachability(t)).toMatchObject({ whatsapp: 1, sms: 1 });
  });

  it('disables a push token on a hard bounce (invalid token) and logs it on the device holder', async () => {
    const device = await registerDevice(t, { anonymousId: 'v1', userId: 'CUST-1', token: 'fcm-1', platform: 'android' });
    await identify(t, { anonymousId: 'v1', userId: 'CUST-1', email: 'ana@example.com' });
    expect(await reachability(t)).toMatchObject({ push: 1 });
    await channelEvents(t, [{ type: 'hard_bounce', channel: 'push', address: 'fcm-1' }]);
    expect(await reachability(t)).toMatchObject({ push: 0 });
    const view = (await t.admin(`/api/profiles/${device.profileId}`)).body;
    expect(view.devices).toEqual([{ token: 'fcm-1', platform: 'android', enabled: false, updatedAt: expect.any(String) }]);
    expect((await logOf(t, device.profileId)).at(-1)).toMatchObject({
      type: 'device_changed',
      details: { action: 'disabled', reason: 'invalid_token' },
    });
  });

  it('refuses a body without an events list', async () => {
    const res = await t.admin('/api/channel-events', { method: 'POST', body: { event: {} } });
    expect(res.body.error.field).toBe('events');
  });
});
