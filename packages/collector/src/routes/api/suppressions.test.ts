import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, logOf, profileOf } from '../../test-support/identity.js';
import { EVIDENCE, reachability, suppress } from '../../test-support/reach.js';

const databases = await testDatabases();

describe.each(databases)('suppressions admin API on $name', (store) => {
  const t = useTestApp(store);

  it('records an opt-out for an address nobody holds yet, normalised, and applies it when a profile gets the address', async () => {
    const made = await suppress(t, 'email', '  Ana@Example.com ', 'unsubscribed', 'esp-upload');
    expect(made).toEqual({
      channel: 'email',
      address: 'ana@example.com',
      reason: 'unsubscribed',
      source: 'esp-upload',
      at: '2026-01-01T12:00:00.000Z',
      profileId: null,
    });
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    const view = (await t.admin(`/api/profiles/${ana!.id}`)).body;
    expect(view.suppressions).toEqual([expect.objectContaining({ channel: 'email', address: 'ana@example.com', reason: 'unsubscribed' })]);
    expect(await reachability(t)).toMatchObject({ email: 0 });
    const listed = await t.admin('/api/suppressions?channel=email&address=ANA@example.com');
    expect(listed.body).toEqual({ suppressions: [{ ...made, profileId: ana!.id }], next: null });
  });

  it('suppresses a phone on SMS in E.164 and logs suppression_changed on the anonymous-looking profile holding it', async () => {
    await identify(t, { anonymousId: 'v1', phone: '+1 415 555 2671' });
    const p = await profileOf(t, 'phone', '+14155552671');
    expect(p!.status).toBe('addressable');
    const made = await suppress(t, 'sms', '(415) 555-2671', 'provider_opt_out');
    expect(made).toMatchObject({ address: '+14155552671', profileId: p!.id, source: 'api' });
    const entry = (await logOf(t, p!.id)).find((e) => e.type === 'suppression_changed');
    expect(entry?.details).toMatchObject({
      action: 'suppressed',
      channel: 'sms',
      address: '+14155552671',
      reason: 'provider_opt_out',
      source: 'api',
      by: 'api',
    });
    expect(await reachability(t)).toMatchObject({ sms: 0, whatsapp: 1 });
  });

  it('refuses an unknown reason, channel or an invalid address naming the field', async () => {
    const bad = async (body: unknown) => (await t.admin('/api/suppressions', { method: 'POST', body })).body.error.field;
    expect(await bad({ channel: 'email', address: 'a@x.com', reason: 'bored' })).toBe('reason');
    expect(await bad({ channel: 'fax', address: 'a@x.com', reason: 'operator' })).toBe('channel');
    expect(await bad({ channel: 'sms', address: 'not a phone', reason: 'operator' })).toBe('address');
  });

  it('keeps the first record of an address suppressed twice and logs it once', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    await suppress(t, 'email', 'ana@example.com', 'unsubscribed');
    t.tick(1000);
    expect(await suppress(t, 'email', 'ana@example.com', 'spam_complaint')).toMatchObject({ reason: 'unsubscribed' });
    const p = await profileOf(t, 'email', 'ana@example.com');
    expect((await logOf(t, p!.id)).filter((e) => e.type === 'suppression_changed')).toHaveLength(1);
  });

  it('refuses a lift without evidence (400 naming the field) and lifts with it, logging the evidence', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    await suppress(t, 'email', 'ana@example.com');
    const lift = (body: Record<string, unknown>) =>
      t.admin('/api/suppressions/lift', { method: 'POST', body: { channel: 'email', address: 'ana@example.com', ...body } });
    expect((await lift({})).body.error).toMatchObject({ code: 'invalid_request', field: 'evidence' });
    expect((await lift({ evidence: { at: EVIDENCE.at } })).body.error.field).toBe('evidence.source');
    expect((await lift({ evidence: { source: 'form', at: 'yesterday' } })).body.error.field).toBe('evidence.at');
    expect(await reachability(t)).toMatchObject({ email: 0 });

    const ok = await lift({ evidence: EVIDENCE });
    expect(ok.status).toBe(200);
    expect(await reachability(t)).toMatchObject({ email: 1 });
    const p = await profileOf(t, 'email', 'ana@example.com');
    const lifted = (await logOf(t, p!.id)).filter((e) => e.type === 'suppression_changed').at(-1);
    expect(lifted?.details).toMatchObject({ action: 'lifted', channel: 'email', by: 'api', evidence: EVIDENCE });
    expect((await lift({ evidence: EVIDENCE })).status).toBe(404);
  });

  it('pages the list in time order with a cursor and filters by channel', async () => {
    for (const [i, a] of ['a@x.com', 'b@x.com', 'c@x.com'].entries()) {
      t.tick(i * 1000);
      await suppress(t, 'email', a);
    }
    await suppress(t, 'sms', '+14155552671');
    const first = await t.admin('/api/suppressions?channel=email&limit=2');
    expect(first.body.suppressions.map((s: { address: string }) => s.address)).toEqual(['a@x.com', 'b@x.com']);
    const second = await t.admin(`/api/suppressions?channel=email&limit=2&after=${first.body.next}`);
    expect(second.body).toEqual({ suppressions: [expect.objectContaining({ address: 'c@x.com' })], next: null });
    expect((await t.admin('/api/suppressions')).body.suppressions).toHaveLength(4);
    expect((await t.admin('/api/suppressions?after=nope')).body.error.field).toBe('after');
  });

  it('needs the secret key', async () => {
    const res = await t.app.request('/api/suppressions');
    expect(res.status).toBe(401);
  });
});
