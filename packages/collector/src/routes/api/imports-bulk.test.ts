import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, logOf, profileOf } from '../../test-support/identity.js';
import { importBulk } from '../../test-support/imports.js';

const databases = await testDatabases();
const MOBILE = '+14155552671';

describe.each(databases)('bulk contacts API on $name', (store) => {
  const t = useTestApp(store);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.request('/api/contacts/bulk', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.secretKey}`, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('imports contacts with and without a primary key by the identify rules, and answers the stored report', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
    await identify(t, { anonymousId: 'w1', phone: '+14155552672' });
    const report = await importBulk(t, [
      { email: 'ana@example.com', traits: { plan: 'gold' } }, // matched
      { phone: '+1 415 555 2673', traits: { source: 'till' } }, // created, addressable
      { email: 'bo@example.com', phone: MOBILE }, // conflict
      { email: 'ana@example.com', phone: '+14155552672' }, // merged
      { userId: 'CUST-9', email: 'cy@example.com' }, // created
    ]);
    expect(report).toMatchObject({ status: 'done', rows: 5, created: 2, matched: 1, merged: 1, conflicts: 1, rejected: 0 });
    expect((await profileOf(t, 'email', 'ana@example.com'))?.traits).toEqual({ plan: 'gold' });
    expect(await profileOf(t, 'phone', '+14155552673')).toMatchObject({ status: 'addressable', traits: { source: 'till' } });
    expect(await profileOf(t, 'userId', 'CUST-9')).toMatchObject({ email: 'cy@example.com' });
    expect((await t.admin(`/api/imports/${report.id}`)).body).toEqual(report);
    const cy = await profileOf(t, 'email', 'cy@example.com');
    expect((await logOf(t, cy!.id)).filter((e) => e.type === 'imported').map((e) => e.details)).toEqual([
      { importId: report.id, row: 5, outcome: 'created' },
    ]);
  });

  it('rejects each bad contact by its 1-based position and field, and imports the rest', async () => {
    const report = await importBulk(t, [
      { email: 'ana@example.com' },
      'ana@example.com',
      { mail: 'bo@example.com' },
      { email: 'bo@example.com', traits: ['gold'] },
      { email: 'bo@example.com', traits: { email: 'other@example.com' } },
      { phone: '12' },
      { userId: { id: 1 } },
      { traits: { plan: 'gold' } },
      { email: 'bo@example.com', traits: { note: 'x'.repeat(40_000) } },
      { email: '<script>alert(1)</script>@example.com' },
      // 17,000 characters, 34,000 bytes: the limit is in UTF-8 bytes, as for a tracked message.
      { email: 'cy@example.com', traits: { note: 'é'.repeat(17_000) } },
    ]);
    expect(report).toMatchObject({ rows: 11, created: 1, rejected: 10 });
    expect(report.rejections.map((r) => [r.row, r.field])).toEqual([
      [2, '(row)'],
      [3, 'mail'],
      [4, 'traits'],
      [5, 'traits.email'],
      [6, 'phone'],
      [7, 'userId'],
      [8, '(row)'],
      [9, '(row)'],
      [10, 'email'],
      [11, '(row)'],
    ]);
    expect(await profileOf(t, 'email', 'bo@example.com')).toBeUndefined();
    expect(await profileOf(t, 'email', 'cy@example.com')).toBeUndefined();
  });

  it.each([
    ['a body that is not JSON', 400, 'body', '{"contacts": ['],
    ['contacts that are not an array', 400, 'contacts', { contacts: { email: 'ana@example.com' } }],
    ['a body without contacts', 400, 'contacts', {}],
    ['1,001 contacts', 413, 'contacts', { contacts: Array.from({ length: 1001 }, (_, i) => ({ email: `p${i}@example.com` })) }],
  ] as const)('refuses %s whole with %i naming %s, and stores nothing', async (_what, status, field, body) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect((await res.json()).error).toMatchObject({ field });
    expect((await t.admin('/api/stats')).body.contacts).toBe(0);
  });

  it('takes 1,000 contacts in one request', async () => {
    const report = await importBulk(
      t,
      Array.from({ length: 1000 }, (_, i) => ({ email: `p${i}@example.com` })),
    );
    expect(report).toMatchObject({ rows: 1000, created: 1000 });
  });

  it('refuses the write key with 401', async () => {
    const res = await post({ contacts: [{ email: 'ana@example.com' }] }, { Authorization: `Bearer ${t.writeKey}` });
    expect(res.status).toBe(401);
    expect(await profileOf(t, 'email', 'ana@example.com')).toBeUndefined();
  });
});
