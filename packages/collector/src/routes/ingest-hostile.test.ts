import { MAX_NESTING_DEPTH } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { timelineOf } from '../test-support/identity.js';
import { postCsv } from '../test-support/imports.js';

const databases = await testDatabases();

/** `{"k":{"k":…1…}}` as JSON text, `levels` objects deep (JSON.stringify itself overflows on 5,000). */
const deepJson = (levels: number) => `${'{"k":'.repeat(levels)}1${'}'.repeat(levels)}`;
const path = (levels: number) => Array.from({ length: levels }, () => 'k').join('.');

describe.each(databases)('hostile message content on $name', (store) => {
  const t = useTestApp(store);
  const raw = (path: string, json: string) => t.app.request(path, { method: 'POST', body: json });
  const fine = { type: 'track', messageId: 'fine', anonymousId: 'v-fine', event: 'Fine' };

  it('stores lone surrogates as U+FFFD in names, values and keys, the same on both stores', async () => {
    const res = await t.send('/v1/batch', {
      batch: [{ type: 'track', messageId: 'm1', anonymousId: 'v1', event: 'Cart \ud83d', properties: { 'k\ude00': ['x\ud83d'] } }],
    });
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
    const [event] = (await timelineOf(t, 'v1'))!;
    expect(event).toMatchObject({ event: 'Cart \uFFFD', properties: { 'k\uFFFD': ['x\uFFFD'] } });
  });

  it('rejects a message holding a NUL in a value or a key with its field, and stores the rest of the batch', async () => {
    const res = await t.send('/v1/batch', {
      batch: [
        { type: 'track', messageId: 'n1', anonymousId: 'v1', event: 'E', properties: { note: 'a\u0000b' } },
        fine,
        { type: 'identify', messageId: 'n2', anonymousId: 'v2', traits: { 'bad\u0000key': 1 } },
        { type: 'track', messageId: 'n3', anonymousId: 'v\u0000', event: 'E' },
      ],
    });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.accepted).toBe(1);
    expect(answer.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [0, 'properties.note'],
      [2, 'traits.bad\\u0000key'],
      [3, 'anonymousId'],
    ]);
    expect((await timelineOf(t, 'v-fine'))?.map((e) => e.messageId)).toEqual(['fine']);
  });

  it(`accepts a message nested ${MAX_NESTING_DEPTH} levels and rejects one level more, or 5,000, with its field`, async () => {
    // The message is level 1 and `properties` level 2.
    const at = (levels: number, id: string) =>
      `{"type":"track","messageId":"${id}","anonymousId":"v1","event":"E","properties":${deepJson(levels)}}`;
    const res = await raw(
      '/v1/batch',
      `{"writeKey":"${t.writeKey}","batch":[${at(MAX_NESTING_DEPTH - 1, 'ok')},${at(MAX_NESTING_DEPTH, 'deeper')},${at(5000, 'deepest')},${JSON.stringify(fine)}]}`,
    );
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.accepted).toBe(2);
    expect(answer.rejected).toEqual([
      {
        index: 1,
        messageId: 'deeper',
        field: `properties.${path(MAX_NESTING_DEPTH - 1)}`,
        reason: `nests deeper than ${MAX_NESTING_DEPTH} levels`,
      },
      {
        index: 2,
        messageId: 'deepest',
        field: `properties.${path(MAX_NESTING_DEPTH - 1)}`,
        reason: `nests deeper than ${MAX_NESTING_DEPTH} levels`,
      },
    ]);
    const single = await raw('/v1/track', `{"writeKey":"${t.writeKey}","anonymousId":"v1","event":"E","properties":${deepJson(5000)}}`);
    expect(single.status).toBe(400);
    expect((await single.json()).error.field).toBe(`properties.${path(MAX_NESTING_DEPTH - 1)}`);
  });

  it('answers 400 naming the parameter for a NUL in a query, 400 for one in a path, and 401 for one in a key', async () => {
    const q = await t.admin('/api/profiles?after=a%00b');
    expect(q).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', field: 'query.after' } } });
    const p = await t.admin('/api/profiles/x%00y');
    expect(p).toMatchObject({ status: 400, body: { error: { field: 'path' } } });
    const popups = await t.app.request(`/v1/popups?writeKey=${t.writeKey}&anonymousId=%00`);
    expect(popups.status).toBe(400);
    const key = await raw('/v1/track', JSON.stringify({ writeKey: `${t.writeKey}\u0000`, anonymousId: 'v', event: 'E' }));
    expect(key.status).toBe(401);
    const basic = await t.app.request('/v1/track', {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`\u0000${t.writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ anonymousId: 'v', event: 'E' }),
    });
    expect(basic.status).toBe(401);
  });

  it('rejects a CSV row with a NUL in a cell, naming its column, and imports the other rows', async () => {
    const res = await postCsv(t, 'email,note\nana@example.com,fine\nbo@example.com,a\u0000b\ncy@example.com,\n');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 3, created: 2, rejected: 1, rejections: [{ row: 2, field: 'note' }] });
    const header = await postCsv(t, 'email,no\u0000te\nana@example.com,x\n');
    expect(header).toMatchObject({ status: 400, body: { error: { field: 'header' } } });
  });

  it('answers 400 naming the path for a NUL in a segment definition or name, a popup text, an unmerge logId or a setting', async () => {
    const seg = await t.admin('/api/segments', {
      method: 'POST',
      body: { name: 'S', definition: { all: [{ has: 'email' }, { event: 'A\u0000' }] } },
    });
    expect(seg).toMatchObject({ status: 400, body: { error: { field: 'definition.all.1.event' } } });
    const name = await t.admin('/api/segments', { method: 'POST', body: { name: 'S\u0000', definition: { has: 'email' } } });
    expect(name).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    const popup = await t.admin('/api/popups', {
      method: 'POST',
      body: { name: 'P', audience: 'everyone', trigger: { type: 'pageView' }, content: { title: 'Hi\u0000' } },
    });
    expect(popup).toMatchObject({ status: 400, body: { error: { field: 'content.title' } } });
    const unmerge = await t.admin('/api/profiles/p1/unmerge', { method: 'POST', body: { logId: 'l\u0000' } });
    expect(unmerge).toMatchObject({ status: 400, body: { error: { field: 'logId' } } });
    const settings = await t.admin('/api/settings', { method: 'PATCH', body: { blockList: ['ok@example.com', 'a\u0000'] } });
    expect(settings).toMatchObject({ status: 400, body: { error: { field: 'blockList.1' } } });
  });
});
