import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { signedIn } from '../../test-support/console.js';
import { testDatabases } from '../../test-support/databases.js';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const CART = { all: [{ event: 'Product Added', within: { hours: 4 } }, { not: { event: 'Order Completed', within: { hours: 4 } } }] };
const MINUTE = 60_000;

describe.each(await testDatabases())('console triggers and windows ($name)', (store) => {
  const t = useTestApp(store);

  it('triggers: refused with the field named, created from the form, listed, its firings shown, disabled, enabled, deleted', async () => {
    const agent = await signedIn(t);
    const form = { name: 'Abandoned cart', condition: JSON.stringify(CART), channel: 'email', waitFor: '72', waitUnit: 'hours' };
    const badJson = await agent.post('/console/triggers', { ...form, condition: '{nope' });
    expect(badJson.status).toBe(400);
    expect(badJson.html).toContain('condition: is not valid JSON');
    expect(badJson.html).toContain('value="Abandoned cart"');
    const badWindow = await agent.post('/console/triggers', { ...form, condition: '{"event":"X","within":{"hours":1.5}}' });
    expect(badWindow.html).toContain('condition.within.hours');
    expect((await agent.post('/console/triggers', { ...form, waitUnit: 'weeks' })).html).toContain('waitFor.weeks');
    expect((await t.admin('/api/triggers')).body.triggers).toEqual([]);

    const created = await agent.post('/console/triggers', form);
    expect(created.status).toBe(303);
    const page = created.res.headers.get('location')!;
    const [trigger] = (await t.admin('/api/triggers')).body.triggers;
    expect(trigger).toMatchObject({ name: 'Abandoned cart', condition: CART, channel: 'email', waitFor: { hours: 72 }, enabled: true });
    expect(page).toBe(`/console/triggers/${trigger.id}`);
    expect(text((await agent.get('/console/triggers')).html)).toContain('Abandoned cart email 72 hours yes');
    expect((await agent.get(page)).html).toContain('None yet.');

    await t.send('/v1/track', { anonymousId: 'v-1', event: 'Product Added', properties: { sku: 'MUG' } });
    const visitor = (await t.admin('/api/profiles/lookup?anonymousId=v-1')).body.id as string;
    const firings = text((await agent.get(page)).html);
    expect(firings).toContain(`${visitor} waiting`);

    await agent.post(`${page}/disable`, {});
    expect((await t.admin(`/api/triggers/${trigger.id}`)).body.enabled).toBe(false);
    expect((await agent.get(`${page}?done=disabled`)).html).toMatch(/data-testid="state">disabled</);
    await agent.post(`${page}/enable`, {});
    expect((await t.admin(`/api/triggers/${trigger.id}`)).body.enabled).toBe(true);
    const deleted = await agent.post(`${page}/delete`, {});
    expect(deleted.res.headers.get('location')).toBe('/console/triggers?deleted=1');
    expect((await t.admin(`/api/triggers/${trigger.id}`)).status).toBe(404);
  });

  it('segments builder: within in minutes and hours, not only days', async () => {
    await t.send('/v1/identify', { anonymousId: 'a1', traits: { email: 'ana@example.com' } });
    await t.send('/v1/track', { anonymousId: 'a1', event: 'Product Added' });
    t.tick(45 * MINUTE);
    const agent = await signedIn(t);
    const row = { combine: 'all', ev0Mode: 'did', ev0Name: 'Product Added' };
    const builder = (await agent.get('/console/segments')).html;
    expect(builder).toContain('<option value="minutes"');
    expect(builder).toContain('<option value="hours"');
    expect(text((await agent.post('/console/segments/preview', { ...row, ev0Within: '30', ev0Unit: 'minutes' })).html)).toContain(
      '0 profiles',
    );
    expect(text((await agent.post('/console/segments/preview', { ...row, ev0Within: '60', ev0Unit: 'minutes' })).html)).toContain(
      '1 profiles',
    );
    expect(text((await agent.post('/console/segments/preview', { ...row, ev0Within: '1', ev0Unit: 'hours' })).html)).toContain(
      '1 profiles',
    );
  });
});
