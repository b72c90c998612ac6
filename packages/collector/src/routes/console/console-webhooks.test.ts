import { describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { signedIn } from '../../test-support/console.js';
import { testDatabases } from '../../test-support/databases.js';
import { useWebhookRig } from '../../test-support/webhooks.js';

// Opening a PostgreSQL store waits for the suites' schema lock: on a busy shared machine, longer than the 10 s hook default.
vi.setConfig({ hookTimeout: 60_000 });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe.each(await testDatabases())('console webhooks ($name)', (store) => {
  const t = useTestApp(store);
  const rig = useWebhookRig(t);

  it('creates an endpoint (secret shown once), lists its deliveries, retries one, disables, enables and deletes it', async () => {
    const agent = await signedIn(t);
    const bad = await agent.post('/console/webhooks', { url: 'ftp://x.example', events: 'profile.created' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('url: must use http or https');
    expect(bad.html).toContain('value="ftp://x.example"');
    expect((await agent.post('/console/webhooks', { url: rig.receiver.url })).html).toContain('events: must be a non-empty list');

    const created = await agent.post('/console/webhooks', { url: rig.receiver.url, events: ['*'], description: 'CRM' });
    expect(created.status).toBe(200);
    const secret = /data-testid="secret">([^<]+)</.exec(created.html)?.[1];
    expect(secret).toMatch(/^whsec_/);
    const [endpoint] = (await t.admin('/api/webhooks')).body.webhooks;
    expect(endpoint).toMatchObject({ url: rig.receiver.url, events: ['*'], description: 'CRM', secret });
    rig.receiver.secret = secret!;
    const page = `/console/webhooks/${endpoint.id}`;
    expect((await agent.get(page)).html).not.toContain(secret!);
    expect(text((await agent.get('/console/webhooks')).html)).toContain(`${rig.receiver.url} * CRM enabled`);

    await t.send('/v1/identify', { anonymousId: 'a1', traits: { email: 'ana@example.com' } });
    await rig.drain();
    const delivery = (await rig.deliveries(endpoint.id))[0]!;
    expect(delivery).toMatchObject({ type: 'profile.created', status: 'delivered' });
    expect(text((await agent.get(page)).html)).toMatch(/profile\.created delivered 1 200/);

    const retried = await agent.post(`${page}/deliveries/${delivery.id}/retry`, {});
    expect(retried.res.headers.get('location')).toBe(`${page}?done=retried`);
    expect((await rig.deliveries(endpoint.id))[0]).toMatchObject({ id: delivery.id, status: 'pending' });
    expect((await agent.get(`${page}?done=retried`)).html).toContain('Queued');

    await agent.post(`${page}/disable`, {});
    expect((await t.admin(`/api/webhooks/${endpoint.id}`)).body.enabled).toBe(false);
    expect((await agent.get(page)).html).toMatch(/data-testid="state">disabled</);
    await agent.post(`${page}/enable`, {});
    expect((await t.admin(`/api/webhooks/${endpoint.id}`)).body.enabled).toBe(true);

    const deleted = await agent.post(`${page}/delete`, {});
    expect(deleted.res.headers.get('location')).toBe('/console/webhooks?deleted=1');
    expect((await t.admin('/api/webhooks')).body.webhooks).toEqual([]);
    expect((await agent.get(page)).status).toBe(404);
  });
});
