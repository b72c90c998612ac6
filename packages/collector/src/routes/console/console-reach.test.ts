import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { signedIn } from '../../test-support/console.js';
import { testDatabases } from '../../test-support/databases.js';
import { reachability, registerDevice, suppress } from '../../test-support/reach.js';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe.each(await testDatabases())('console reach ($name)', (store) => {
  const t = useTestApp(store);

  const profileOf = async (q: string) => (await t.admin(`/api/profiles/lookup?${q}`)).body as Record<string, any>;

  it('a person: lists devices, adds a suppression on an address it holds and lifts one only with evidence', async () => {
    await t.send('/v1/identify', { anonymousId: 'a1', traits: { email: 'ana@example.com', phone: '+14155550100' } });
    await registerDevice(t, { anonymousId: 'a1', token: 'fcm-token-ana', platform: 'android' });
    const ana = (await profileOf('email=ana@example.com')).id as string;
    const agent = await signedIn(t);
    const page = text((await agent.get(`/console/people/${ana}`)).html);
    expect(page).toContain('fcm-token-ana android yes');
    expect((await agent.get(`/console/people/${ana}`)).html).toMatch(/<option value="push">push<\/option>/);

    const added = await agent.post(`/console/people/${ana}/suppressions`, { channel: 'email' });
    expect(added.status).toBe(200);
    expect(added.html).toContain('Suppressed email: ana@example.com');
    expect((await t.admin('/api/suppressions?channel=email')).body.suppressions).toEqual([
      expect.objectContaining({ address: 'ana@example.com', reason: 'operator', source: 'console', profileId: ana }),
    ]);
    expect((await agent.post(`/console/people/${ana}/suppressions`, { channel: 'fax' })).html).toContain('channel: must be one of');

    const lift = { channel: 'email', address: 'ana@example.com' };
    const noEvidence = await agent.post(`/console/people/${ana}/suppressions/lift`, { ...lift, source: '', at: '2026-01-02T09:00:00Z' });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.html).toContain('evidence.source');
    const badTime = await agent.post(`/console/people/${ana}/suppressions/lift`, { ...lift, source: 'phone call', at: 'yesterday' });
    expect(badTime.html).toContain('evidence.at');
    expect((await reachability(t)).email).toBe(0);

    const lifted = await agent.post(`/console/people/${ana}/suppressions/lift`, {
      ...lift,
      source: 'phone call',
      at: '2026-01-02T09:00:00Z',
      text: 'wants the newsletter again',
    });
    expect(lifted.status).toBe(200);
    expect(lifted.html).toContain('Lifted the email suppression of ana@example.com');
    expect(text(lifted.html)).toContain('Suppression lifted: email ana@example.com by operator on evidence from phone call');
    expect((await reachability(t)).email).toBe(1);
    const log = (await t.admin(`/api/profiles/${ana}/log`)).body.entries as Array<Record<string, any>>;
    expect(log.at(-1)).toMatchObject({
      type: 'suppression_changed',
      details: { action: 'lifted', by: 'operator', evidence: { source: 'phone call', text: 'wants the newsletter again' } },
    });
    const again = await agent.post(`/console/people/${ana}/suppressions/lift`, { ...lift, source: 'x', at: '2026-01-02T09:00:00Z' });
    expect(again.status).toBe(400);
    expect(again.html).toContain('suppression not found');
  });

  it('people: block mobile / block email per row on the addressable and anonymous tabs, only for an address the profile holds', async () => {
    await t.send('/v1/identify', { anonymousId: 'a2', traits: { phone: '+14155550100' } });
    await t.send('/v1/identify', { anonymousId: 'a3', traits: { email: 'ana@example.com' } });
    await t.send('/v1/page', { anonymousId: 'a4' });
    const ben = (await profileOf('phone=%2B14155550100')).id as string;
    const agent = await signedIn(t);
    const addressable = (await agent.get('/console/people?status=addressable')).html;
    expect(addressable).toContain('aria-label="Block mobile +14155550100"');
    // Ana's email is the primary key: she is identified, and that tab has no buttons.
    expect(addressable).not.toContain('ana@example.com');
    expect(addressable).not.toContain('aria-label="Block email');
    expect(addressable.match(/>Block mobile</g)?.length).toBe(1);
    expect((await agent.get('/console/people?status=anonymous')).html).not.toContain('<th scope="col">Block</th>');
    expect((await agent.get('/console/people?status=identified')).html).not.toContain('<th scope="col">Block</th>');

    expect((await reachability(t)).sms).toBe(1);
    const blocked = await agent.post(`/console/people/${ben}/suppressions`, { channel: 'sms', back: 'addressable' });
    expect(blocked.status).toBe(303);
    expect(blocked.res.headers.get('location')).toBe('/console/people?status=addressable&blocked=sms');
    expect((await reachability(t)).sms).toBe(0);
    const after = await agent.get(blocked.res.headers.get('location')!);
    expect(after.html).toContain('Blocked the mobile (SMS)');
    expect(after.html).not.toContain('aria-label="Block mobile');
    expect(text(after.html)).toContain('sms blocked');
    // The mobile is blocked, not the person: email stays reachable.
    expect((await reachability(t)).email).toBe(1);
  });

  it('people: block email on an addressable contact whose address is an email (primary key phone)', async () => {
    expect((await t.admin('/api/settings', { method: 'PATCH', body: { primaryKey: 'phone' } })).status).toBe(200);
    await t.send('/v1/identify', { anonymousId: 'a6', traits: { email: 'ana@example.com' } });
    const agent = await signedIn(t);
    const addressable = (await agent.get('/console/people?status=addressable')).html;
    expect(addressable).toContain('aria-label="Block email ana@example.com"');
    expect(addressable).not.toContain('Block mobile');
    const ana = (await profileOf('email=ana@example.com')).id as string;
    await agent.post(`/console/people/${ana}/suppressions`, { channel: 'email', back: 'addressable' });
    expect((await reachability(t)).email).toBe(0);
  });

  it('a person whose only address is suppressed already shows it with its lift form', async () => {
    await t.send('/v1/identify', { anonymousId: 'a5', traits: { email: 'zoe@example.com' } });
    await suppress(t, 'email', 'zoe@example.com');
    const zoe = (await profileOf('email=zoe@example.com')).id as string;
    const agent = await signedIn(t);
    const { html } = await agent.get(`/console/people/${zoe}`);
    expect(text(html)).toContain('email : zoe@example.com (unsubscribed, api,');
    expect(html).toContain(`action="/console/people/${zoe}/suppressions/lift"`);
    expect(text(html)).toContain('No devices registered.');
  });
});
