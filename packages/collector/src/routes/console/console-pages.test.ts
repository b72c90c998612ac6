import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { ORIGIN, signedIn } from '../../test-support/console.js';
import { testDatabases } from '../../test-support/databases.js';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe.each(await testDatabases())('console pages ($name)', (store) => {
  const t = useTestApp(store);

  /** Ana browsed anonymously as `anon`, then identified with her email from that browser; Ben is only a phone. */
  async function seed() {
    await t.send('/v1/identify', { anonymousId: 'anon-known', traits: { email: 'ana@example.com' } });
    t.tick(1000);
    await t.send('/v1/track', { anonymousId: 'anon-1', event: 'Product Viewed', properties: { sku: 'MUG' } });
    t.tick(1000);
    await t.send('/v1/track', { anonymousId: 'anon-1', event: 'Product Added', properties: { sku: 'MUG', price: 12 } });
    t.tick(1000);
    await t.send('/v1/identify', { anonymousId: 'anon-1', traits: { email: 'ana@example.com' } });
    t.tick(1000);
    await t.send('/v1/track', { anonymousId: 'anon-1', event: 'Order Completed', properties: { total: 12 } });
    await t.send('/v1/identify', { anonymousId: 'anon-2', traits: { phone: '+14155550100' } });
    await t.send('/v1/page', { anonymousId: 'anon-3', name: 'Home' });
    return (await t.admin('/api/profiles/lookup?email=ana@example.com')).body.id as string;
  }

  it('overview counts contacts and anonymous apart, with reachability, the activity chart and the latest merge', async () => {
    await seed();
    const agent = await signedIn(t);
    const { html } = await agent.get('/console');
    expect(html).toMatch(/data-live="contacts"[^>]*>2</);
    expect(html).toMatch(/data-live="anonymous"[^>]*>1</);
    expect(html).toMatch(/data-live="reachability.sms"[^>]*>1</);
    expect(html).toContain('<svg');
    // The table under the chart: today has 4 new profiles (Ana twice before the merge, Ben, the visitor) and 2 identifications.
    expect(text(html)).toContain('2026-01-01 4 2');
    expect(text(html)).toMatch(/Merged \S+ into this profile/);
    expect(await (await t.app.request('/console/live', { headers: { Cookie: agent.cookie } })).json()).toMatchObject({
      contacts: 2,
      anonymous: 1,
    });
  });

  it('people: tabs by status, search by any identifier, keyset paging, and find by anonymous ID', async () => {
    const ana = await seed();
    const agent = await signedIn(t);
    expect((await agent.get('/console/people')).html).toContain('ana@example.com');
    const addressable = (await agent.get('/console/people?status=addressable')).html;
    expect(addressable).toContain('+14155550100');
    expect(addressable).not.toContain('ana@example.com');
    expect(text((await agent.get('/console/people?q=%2B1%20415%20555%200100')).html)).toContain('+14155550100');
    expect((await agent.get('/console/people?q=anon-1')).html).toContain(ana);
    expect((await agent.get('/console/people?q=nobody@example.com')).html).toContain('No profile holds');
    const find = await agent.get('/console/people/find?anonymousId=anon-1');
    expect(find.res.headers.get('location')).toBe(`/console/people/${ana}`);
    for (let i = 0; i < 52; i++) await t.send('/v1/page', { anonymousId: `visitor-${i}` });
    const first = (await agent.get('/console/people?status=anonymous')).html;
    const next = /href="(\/console\/people\?status=anonymous&amp;after=[^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const second = (await agent.get(next!)).html;
    expect((second.match(/\/console\/people\/[0-9a-f-]{36}"/g) ?? []).length).toBe(3);
  });

  it('a person: identifiers, the timeline with the pre-identify part marked, unmerge from the log, delete after confirming', async () => {
    const ana = await seed();
    const agent = await signedIn(t);
    const { html } = await agent.get(`/console/people/${ana}`);
    const rows = [...html.matchAll(/<li( class="pre-identify")?[^>]*><time[^>]*>[^<]*<\/time> <strong>([^<]+)<\/strong>/g)];
    const marked = rows.map((m) => [m[2], m[1] !== undefined]);
    // Ana's first identify (another browser) comes first; this browser's browsing is still before its own identify.
    expect(marked).toEqual([
      ['identify', false],
      ['Product Viewed', true],
      ['Product Added', true],
      ['identify', false],
      ['Order Completed', false],
    ]);
    const logId = /name="logId" value="([^"]+)"/.exec(html)?.[1];
    expect(logId).toBeDefined();

    const undone = await agent.post(`/console/people/${ana}/unmerge`, { logId: logId! });
    expect(undone.status).toBe(200);
    expect(undone.html).toContain('Unmerged');
    expect((await t.admin('/api/profiles/lookup?anonymousId=anon-1')).body.id).not.toBe(ana);

    expect((await agent.get(`/console/people/${ana}/delete`)).html).toContain('Delete for good');
    const deleted = await agent.post(`/console/people/${ana}/delete`, {});
    expect(deleted.status).toBe(303);
    expect((await t.admin(`/api/profiles/${ana}`)).status).toBe(404);
    expect((await agent.get(`/console/people/${ana}`)).status).toBe(404);
  });

  it('segments: the builder previews as JSON for the script and as a page without it, saves, lists members and exports CSV', async () => {
    await seed();
    const agent = await signedIn(t);
    const cart = { combine: 'all', name: 'Carts', ev0Mode: 'did', ev0Name: 'Product Added', ev0Within: '1', ev0Unit: 'days' };
    const token = await agent.csrf();
    const scripted = await t.app.request('/console/segments/preview', {
      method: 'POST',
      headers: { Cookie: agent.cookie, Origin: ORIGIN, 'x-csrf-token': token },
      body: new URLSearchParams(cart),
    });
    expect(await scripted.json()).toMatchObject({ size: 1, contacts: 1, reachability: { email: 1 } });
    const noOrder = { ...cart, ev1Mode: 'didNot', ev1Name: 'Order Completed' };
    expect(text((await agent.post('/console/segments/preview', noOrder)).html)).toContain('0 profiles');
    expect((await agent.post('/console/segments/preview', { combine: 'all' })).html).toContain('add at least one condition');

    const saved = await agent.post('/console/segments', cart);
    expect(saved.status).toBe(303);
    const page = await agent.get(saved.res.headers.get('location')!);
    expect(page.html).toContain('ana@example.com');
    const id = saved.res.headers.get('location')!.split('/').pop();
    const csv = await agent.get(`/console/segments/${id}/export.csv`);
    expect(csv.res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.html.split('\r\n')[0]).toBe(
      'primaryKey,id,email,phone,status,userId,createdAt,emailReachable,smsReachable,whatsappReachable,pushReachable,webpushReachable',
    );
    expect(csv.html).toContain('ana@example.com');
  });

  it('imports: a CSV upload answers a report with the rejected row and its reason, and is listed', async () => {
    const agent = await signedIn(t);
    const body = new FormData();
    body.append('_csrf', await agent.csrf());
    body.append('file', new File(['email,phone\nzoe@example.com,\nnot-an-email,\n'], 'contacts.csv', { type: 'text/csv' }));
    const res = await t.app.request('/console/imports', { method: 'POST', headers: { Cookie: agent.cookie, Origin: ORIGIN }, body });
    expect(res.status).toBe(303);
    const report = await agent.get(res.headers.get('location')!);
    expect(text(report.html)).toMatch(/rows 2 created 1/);
    expect(text(report.html)).toMatch(/2 email \S/);
    expect((await agent.get('/console/imports')).html).toContain(res.headers.get('location')!);
  });

  it('popups: created and edited from the form with every field, listed with stats, previewed as the validated rule', async () => {
    const agent = await signedIn(t);
    const fields = { name: 'Welcome', enabled: 'on', audience: 'anonymous', triggerType: 'pageView', title: 'Hello', formField: 'email' };
    const bad = await agent.post('/console/popups', { ...fields, ctaLabel: 'Go', ctaUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('content.cta.url');
    const preview = await t.app.request('/console/popups/preview', {
      method: 'POST',
      headers: { Cookie: agent.cookie, Origin: ORIGIN, 'x-csrf-token': await agent.csrf() },
      body: new URLSearchParams(fields),
    });
    expect(await preview.json()).toMatchObject({ rule: { content: { title: 'Hello' }, form: { field: 'email' } } });
    const created = await agent.post('/console/popups', fields);
    const id = created.res.headers.get('location')!.split('/').pop()!.split('?')[0];
    await agent.post(`/console/popups/${id}`, { ...fields, title: 'Hello again', triggerType: 'scrollDepth', triggerPercent: '40' });
    expect((await t.admin(`/api/popups/${id}`)).body).toMatchObject({ content: { title: 'Hello again' }, trigger: { percent: 40 } });
    const list = text((await agent.get('/console/popups')).html);
    expect(list).toContain('Welcome anonymous scrollDepth yes 0 0 0 0');
  });

  it('settings: saved through the admin rules, the primary key locked with the reason once profiles exist', async () => {
    const agent = await signedIn(t);
    const fields = {
      primaryKey: 'phone',
      defaultCountry: 'in',
      blockList: 'x@y.com\n',
      traitConflictPolicy: 'newest',
      hardBounceThreshold: '5',
    };
    expect((await agent.post('/console/settings', fields)).html).toContain('Settings saved');
    expect((await t.admin('/api/settings')).body).toMatchObject({ primaryKey: 'phone', defaultCountry: 'IN', blockList: ['x@y.com'] });
    await t.send('/v1/page', { anonymousId: 'a' });
    const page = await agent.get('/console/settings');
    expect(page.html).toMatch(/<select id="primaryKey" name="primaryKey" disabled/);
    expect(page.html).toContain('Locked: the workspace has 1 profiles');
    const refused = await agent.post('/console/settings', { ...fields, primaryKey: 'email' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('primaryKey: cannot change');
  });
});
