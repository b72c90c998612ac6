import type { PopupRule, PopupsResponse } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { createRule, fetchPopups, ruleInput } from '../../test-support/popups.js';

const databases = await testDatabases();

/** What a hostile or careless admin client sends, and the field each refusal must name. */
describe.each(databases)('popup rule input on $name', (store) => {
  const t = useTestApp(store);
  const post = (body: unknown) => t.admin('/api/popups', { method: 'POST', body });
  const refused = async (body: unknown, field: string) => {
    const res = await post(body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    expect(res.body.error.message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: `));
  };

  it('stores script-looking text as given and answers it as a string, to admins and to the SDK', async () => {
    const title = '<img src=x onerror=alert(1)>';
    const body = '<script>alert("x")</script> & "quotes" \u2028 and ünïcödé 🎉';
    const created = await createRule(t, { content: { title, body, cta: { label: '<b>Go</b>', url: '/sale?a=<x>&b="y"' } } });
    expect(created.content).toEqual({ title, body, cta: { label: '<b>Go</b>', url: '/sale?a=<x>&b="y"' } });
    expect((await t.admin<PopupRule>(`/api/popups/${created.id}`)).body.content.title).toBe(title);
    const served = (await (await fetchPopups(t, 'v1')).json()) as PopupsResponse;
    expect(served.popups[0]?.content).toEqual(created.content);
  });

  it.each([
    ['javascript:alert(1)'],
    [' JavaScript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox(1)'],
    ['//evil.example/phish'],
    // Browsers read a backslash as a slash and drop tabs, so both are `//evil.example`: the SDK's rule, shared.
    ['/\\evil.example/'],
    ['/\t/evil.example'],
    ['shop.example'],
  ])('refuses the call-to-action URL %j', async (url) => {
    await refused(ruleInput({ content: { title: 'Hi', cta: { label: 'Go', url } } }), 'content.cta.url');
  });

  it('accepts http(s) and site-relative call-to-action URLs', async () => {
    for (const url of ['https://shop.example/sale', 'http://shop.example', '/products/1']) {
      expect((await post(ruleInput({ content: { title: 'Hi', cta: { label: 'Go', url } } }))).status).toBe(201);
    }
  });

  it('refuses a regex page rule that does not compile, naming the pattern', async () => {
    await refused(
      ruleInput({ pages: { include: [{ match: 'contains', value: '/p' }], exclude: [{ match: 'regex', value: '([a-z' }] } }),
      'pages.exclude.0.value',
    );
    // The same text is fine as a plain match.
    expect((await post(ruleInput({ pages: { include: [{ match: 'contains', value: '([a-z' }] } }))).status).toBe(201);
  });

  it('refuses unknown trigger types and trigger fields out of range', async () => {
    await refused(ruleInput({ trigger: { type: 'hover' } as never }), 'trigger.type');
    await refused(ruleInput({ trigger: 'pageView' as never }), 'trigger');
    await refused(ruleInput({ trigger: { type: 'scrollDepth', percent: 150 } }), 'trigger.percent');
    await refused(ruleInput({ trigger: { type: 'timeOnPage', seconds: -1 } }), 'trigger.seconds');
    await refused(ruleInput({ trigger: { type: 'event' } as never }), 'trigger.event');
  });

  it('refuses wrong types, naming the field', async () => {
    await refused({ ...ruleInput(), name: 42 }, 'name');
    await refused({ ...ruleInput(), enabled: 'yes' }, 'enabled');
    await refused({ ...ruleInput(), priority: 'high' }, 'priority');
    await refused({ ...ruleInput(), priority: 1.5 }, 'priority');
    await refused({ ...ruleInput(), priority: 1e20 }, 'priority');
    await refused({ ...ruleInput(), audience: 'bots' }, 'audience');
    await refused({ ...ruleInput(), content: { title: ['x'] } }, 'content.title');
    await refused({ ...ruleInput(), content: { title: '   ' } }, 'content.title');
    await refused({ ...ruleInput(), content: { title: 'x'.repeat(201) } }, 'content.title');
    await refused({ ...ruleInput(), frequency: { maxImpressions: 0 } }, 'frequency.maxImpressions');
    await refused({ ...ruleInput(), form: { field: 'address' } }, 'form.field');
    await refused({ ...ruleInput(), pages: { include: [{ match: 'like', value: '/x' }] } }, 'pages.include.0.match');
  });

  it('refuses a missing required field, naming it', async () => {
    const { name: _n, ...noName } = ruleInput();
    await refused(noName, 'name');
    const { content: _c, ...noContent } = ruleInput();
    await refused(noContent, 'content');
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const body of [[ruleInput()], 'rule', null, 7]) await refused(body, 'body');
    const res = await t.app.request('/api/popups', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.secretKey}` },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_json', field: 'body' });
  });

  it('refuses an oversized body with 413 before storing anything, on create and replace', async () => {
    const huge = ruleInput({
      pages: { include: Array.from({ length: 2000 }, (_, i) => ({ match: 'contains' as const, value: `/page-${i}-${'x'.repeat(30)}` })) },
    });
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', field: 'body' });
    const created = await createRule(t);
    expect((await t.admin(`/api/popups/${created.id}`, { method: 'PUT', body: huge })).status).toBe(413);
    expect((await t.admin('/api/popups')).body.popups).toEqual([created]);
  });

  it('changes nothing when a replacement is refused', async () => {
    const created = await createRule(t);
    const res = await t.admin(`/api/popups/${created.id}`, {
      method: 'PUT',
      body: ruleInput({ content: { title: 'x', cta: { label: 'Go', url: 'javascript:void(0)' } } }),
    });
    expect(res.status).toBe(400);
    expect((await t.admin(`/api/popups/${created.id}`)).body).toEqual(created);
  });

  it('drops keys the schema does not know instead of storing them', async () => {
    const created = await createRule(t, { ...ruleInput(), id: 'chosen', createdAt: '1999-01-01T00:00:00.000Z', html: '<script>' } as never);
    expect(created.id).not.toBe('chosen');
    expect(created.createdAt).toBe('2026-01-01T12:00:00.000Z');
    expect(created).not.toHaveProperty('html');
  });
});
