import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, logOf, profileOf } from '../../test-support/identity.js';
import { importBulk, importCsv } from '../../test-support/imports.js';
import { reachability } from '../../test-support/reach.js';

const databases = await testDatabases();

describe.each(databases)('imports: opt-outs and profile reports on $name', (store) => {
  const t = useTestApp(store);
  const suppressions = async () =>
    ((await t.admin('/api/suppressions')).body.suppressions as Array<{ channel: string; address: string; source: string }>)
      .map((s) => `${s.channel}:${s.address}`)
      .sort();

  it('reads email_opt_out, sms_opt_out and whatsapp_opt_out as true/false/1/0 in any case; false never lifts', async () => {
    const report = await importCsv(
      t,
      [
        'email,mobile,Email_Opt_Out,SMS_OPT_OUT,whatsapp_opt_out',
        'ana@example.com,+14155552671,TRUE,0,',
        'bo@example.com,+14155552672,false,1,True',
        'cy@example.com,+14155552673,yes,0,0',
        'di@example.com,,0,1,0',
      ].join('\n'),
    );
    expect(report).toMatchObject({ rows: 4, created: 2, rejected: 2 });
    expect(report.rejections).toEqual([
      { row: 3, field: 'Email_Opt_Out', reason: 'must be true, false, 1 or 0' },
      { row: 4, field: 'SMS_OPT_OUT', reason: expect.stringContaining('phone') },
    ]);
    expect(await suppressions()).toEqual(['email:ana@example.com', 'sms:+14155552672', 'whatsapp:+14155552672']);
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    expect((await logOf(t, ana)).find((e) => e.type === 'suppression_changed')?.details).toMatchObject({
      channel: 'email',
      reason: 'unsubscribed',
      by: 'import',
      source: `import:${report.id}`,
    });
    expect(await reachability(t)).toMatchObject({ email: 1, sms: 1, whatsapp: 1 });

    await importCsv(t, 'email,email_opt_out\nana@example.com,false\n');
    expect(await suppressions()).toContain('email:ana@example.com');
  });

  it('takes a suppressions list per bulk contact, its own address by default, and rejects a bad one by field', async () => {
    const report = await importBulk(t, [
      {
        email: 'ana@example.com',
        phone: '+14155552671',
        suppressions: [{ channel: 'sms' }, { channel: 'email', reason: 'spam_complaint' }],
      },
      { email: 'bo@example.com', suppressions: [{ channel: 'push', address: 'fcm-9', reason: 'operator' }] },
      { email: 'cy@example.com', suppressions: [{ channel: 'sms' }] },
      { email: 'di@example.com', suppressions: [{ channel: 'email', reason: 'bored' }] },
      { email: 'ed@example.com', suppressions: 'all' },
    ]);
    expect(report).toMatchObject({ rows: 5, created: 2, rejected: 3 });
    expect(report.rejections.map((r) => r.field)).toEqual(['suppressions.0', 'suppressions.0.reason', 'suppressions']);
    expect(await suppressions()).toEqual(['email:ana@example.com', 'push:fcm-9', 'sms:+14155552671']);
    const listed = (await t.admin('/api/suppressions?channel=email')).body.suppressions;
    expect(listed[0]).toMatchObject({ reason: 'spam_complaint', profileId: (await profileOf(t, 'email', 'ana@example.com'))!.id });
  });

  it('re-imports its own profile report: id matches by GUID, status and createdAt are never traits, the report says how each column was read', async () => {
    await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
    await identify(t, { anonymousId: 'v2' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!.id;
    const anon = (await profileOf(t, 'anonymousId', 'v2'))!.id;
    const exported = await (await t.app.request('/api/reports/profiles', { headers: { Authorization: `Bearer ${t.secretKey}` } })).text();
    const lines = exported.trimEnd().split('\r\n');
    const edited = [`${lines[0]},plan`, ...lines.slice(1).map((l) => `${l},gold`), 'ana@example.com,not-a-guid,,,,,,,,,,,silver'].join(
      '\n',
    );
    const report = await importCsv(t, edited);
    expect(report).toMatchObject({ rows: 3, matched: 2, created: 0, rejected: 1 });
    expect(report.rejections).toEqual([{ row: 3, field: 'id', reason: expect.stringContaining('no profile') }]);
    expect((report as unknown as { columns: unknown[] }).columns).toEqual([
      { column: 'primaryKey', readAs: 'ignored', reason: expect.any(String) },
      { column: 'id', readAs: 'profileId' },
      { column: 'email', readAs: 'identifier', kind: 'email' },
      { column: 'phone', readAs: 'identifier', kind: 'phone' },
      { column: 'status', readAs: 'ignored', reason: expect.any(String) },
      { column: 'userId', readAs: 'identifier', kind: 'userId' },
      { column: 'createdAt', readAs: 'ignored', reason: expect.any(String) },
      ...['email', 'sms', 'whatsapp', 'push', 'webpush'].map((c) => ({
        column: `${c}Reachable`,
        readAs: 'ignored',
        reason: expect.any(String),
      })),
      { column: 'plan', readAs: 'trait' },
    ]);
    for (const id of [ana, anon]) expect((await t.admin(`/api/profiles/${id}`)).body.traits).toEqual({ plan: 'gold' });
    expect((await t.admin(`/api/profiles/${anon}`)).body.status).toBe('anonymous');
    expect((await t.admin(`/api/imports/${report.id}`)).body.columns).toHaveLength(13);
  });

  it('fills an empty identifier from the profile an id names and attaches a new one to it', async () => {
    await identify(t, { anonymousId: 'v1' });
    const anon = (await profileOf(t, 'anonymousId', 'v1'))!.id;
    const report = await importCsv(t, `id,phone\n${anon},+14155552671\n`);
    expect(report).toMatchObject({ rows: 1, matched: 1 });
    expect((await t.admin(`/api/profiles/${anon}`)).body).toMatchObject({ phone: '+14155552671', status: 'addressable' });
  });
});
