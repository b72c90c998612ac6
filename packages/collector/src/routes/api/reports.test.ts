import { describe, expect, it } from 'vitest';
import { useTestApp, type TestApp } from '../../test-support/app.js';
import { registerDevice, suppress } from '../../test-support/reach.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, profileOf, sendOne, usePrimaryKey } from '../../test-support/identity.js';

const databases = await testDatabases();

const report = async (t: TestApp, query: string) => {
  const res = await t.app.request(`/api/reports/profiles?${query}`, { headers: { Authorization: `Bearer ${t.secretKey}` } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

/** A minimal RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

const COLUMNS = [
  'primaryKey',
  'id',
  'email',
  'phone',
  'status',
  'userId',
  'createdAt',
  'emailReachable',
  'smsReachable',
  'whatsappReachable',
  'pushReachable',
  'webpushReachable',
] as const;
const REACH_PHONE = ['false', 'true', 'true', 'false', 'false'];
const NOWHERE = ['false', 'false', 'false', 'false', 'false'];

describe.each(databases)('profile reports on $name', (store) => {
  const t = useTestApp(store);

  async function people() {
    await identify(t, { anonymousId: 'v-ana', email: 'ana@example.com', phone: '+14155552671' });
    await identify(t, { anonymousId: 'v-walkin', phone: '+14155552672' });
    await sendOne(t, 'page', { anonymousId: 'v-anon' });
  }

  it('exports one CSV row per contact and anonymous profile, with primary key, GUID, email, mobile and status', async () => {
    await people();
    const res = await report(t, 'format=csv');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/csv');
    expect(res.text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([...COLUMNS]);
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    const walkIn = (await profileOf(t, 'phone', '+14155552672'))!;
    const anon = (await profileOf(t, 'anonymousId', 'v-anon'))!;
    expect(rows).toHaveLength(3);
    const byId = new Map(rows.map((r) => [r[1], r]));
    // Phones start with "+", which a spreadsheet reads as a formula: they carry the leading apostrophe.
    expect(byId.get(ana.id)).toEqual([
      'ana@example.com',
      ana.id,
      'ana@example.com',
      "'+14155552671",
      'identified',
      '',
      expect.stringMatching(/^2026-/),
      ...['true', 'true', 'true', 'false', 'false'],
    ]);
    expect(byId.get(walkIn.id)).toEqual(['', walkIn.id, '', "'+14155552672", 'addressable', '', expect.any(String), ...REACH_PHONE]);
    expect(byId.get(anon.id)).toEqual(['', anon.id, '', '', 'anonymous', '', expect.any(String), ...NOWHERE]);
  });

  it('says per channel whether the profile is reachable: suppressions and enabled devices count', async () => {
    await people();
    await suppress(t, 'sms', '+14155552671');
    await registerDevice(t, { anonymousId: 'v-ana', token: 'fcm-1', platform: 'android' });
    await registerDevice(t, { anonymousId: 'v-anon', token: 'https://push.example/1', platform: 'web' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    const { body } = await t.admin('/api/reports/profiles?format=json');
    const row = body.profiles.find((p: { id: string }) => p.id === ana.id);
    expect(row).toMatchObject({
      emailReachable: 'true',
      smsReachable: 'false',
      whatsappReachable: 'true',
      pushReachable: 'true',
      webpushReachable: 'false',
    });
    // An anonymous visitor is not messaged, whatever device it holds.
    const anon = body.profiles.find((p: { status: string }) => p.status === 'anonymous');
    expect(anon).toMatchObject({ webpushReachable: 'false' });
  });

  it('uses the workspace primary key for the primaryKey column', async () => {
    await usePrimaryKey(t, 'userId');
    await identify(t, { anonymousId: 'v1', userId: 'CUST-1', email: 'ana@example.com' }, { verified: true });
    const { body } = await t.admin('/api/reports/profiles?format=json');
    expect(body.profiles).toEqual([
      expect.objectContaining({ primaryKey: 'CUST-1', userId: 'CUST-1', email: 'ana@example.com', status: 'identified' }),
    ]);
  });

  it('quotes per RFC 4180 and neutralises cells a spreadsheet would run as formulas', async () => {
    await usePrimaryKey(t, 'userId');
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', 'a,b', 'line\nbreak', 'say "hi"'];
    for (const [n, userId] of hostile.entries()) await identify(t, { anonymousId: `v${n}`, userId }, { verified: true });
    const res = await report(t, 'format=csv');
    const rows = parseCsv(res.text).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(
      ["'+1+1", "'-2+3", '\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)", 'a,b', 'line\nbreak', 'say "hi"'].sort(),
    );
    expect(res.text).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(rows.every((r) => r.length === COLUMNS.length)).toBe(true);
  });

  it('narrows to a saved segment and to a status', async () => {
    await people();
    const { body: segment } = await t.admin('/api/segments', { method: 'POST', body: { name: 'phones', definition: { has: 'phone' } } });
    const bySegment = await t.admin(`/api/reports/profiles?format=json&segment=${segment.id}`);
    expect(bySegment.body.profiles.map((p: { status: string }) => p.status).sort()).toEqual(['addressable', 'identified']);
    const both = await t.admin(`/api/reports/profiles?format=json&segment=${segment.id}&status=addressable`);
    expect(both.body.profiles).toEqual([expect.objectContaining({ phone: '+14155552672', status: 'addressable', email: null })]);
    const anonymous = await t.admin('/api/reports/profiles?format=json&status=anonymous');
    expect(anonymous.body.profiles).toHaveLength(1);
  });

  it('streams every row of a report longer than one page, and leaves out merged profiles', async () => {
    // 2,000 profiles a page in the report: 2,100 visitors need two.
    const ws = await t.database.db.selectFrom('workspaces').select('id').where('write_key', '=', t.writeKey).executeTakeFirstOrThrow();
    const rows = Array.from({ length: 2100 }, (_, i) => ({
      workspace_id: ws.id,
      id: `p-${String(i).padStart(5, '0')}`,
      status: i === 7 ? 'merged' : 'anonymous',
      traits: '{}',
      merged_into: null,
      created_at: 0,
      updated_at: 0,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await t.database.db
        .insertInto('profiles')
        .values(rows.slice(i, i + 500))
        .execute();
    const res = await report(t, 'format=csv');
    const ids = parseCsv(res.text)
      .slice(1)
      .map((r) => r[1]);
    expect(ids).toHaveLength(2099);
    expect(new Set(ids).size).toBe(2099);
    expect(ids).not.toContain('p-00007');
    const json = await t.admin('/api/reports/profiles?format=json');
    expect(json.body.profiles).toHaveLength(2099);
  });

  it('answers an empty report with the header only', async () => {
    expect((await report(t, 'format=csv')).text).toBe(`${COLUMNS.join(',')}\r\n`);
    expect((await t.admin('/api/reports/profiles?format=json')).body).toEqual({ profiles: [] });
  });

  it('refuses an unknown format or status naming the parameter', async () => {
    expect((await t.admin('/api/reports/profiles?format=xlsx')).body.error).toMatchObject({ field: 'format' });
    expect((await t.admin('/api/reports/profiles?status=merged')).body.error).toMatchObject({ field: 'status' });
  });
});
