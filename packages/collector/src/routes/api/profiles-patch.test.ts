import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, logOf, profileOf, usePrimaryKey } from '../../test-support/identity.js';

// Issue 9: changing a known customer's email or phone (Iterable's updateEmail), as a verified claim.
const databases = await testDatabases();
const MOBILE = '+14155552671';
const NEW_MOBILE = '+14155552672';

describe.each(databases)('PATCH /api/profiles/:id on $name', (store) => {
  const t = useTestApp(store);
  const patch = (id: string, body: unknown) => t.admin(`/api/profiles/${id}`, { method: 'PATCH', body });

  it('replaces the email and phone, keeps the old values in the log, and the old ones identify no one', async () => {
    await identify(t, { anonymousId: 'a1', userId: 'CUST-1', email: 'ana@example.com', phone: MOBILE });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    const res = await patch(ana!.id, { email: ' Ana.New@Example.com', phone: '(415) 555-2672' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ana!.id,
      email: 'ana.new@example.com',
      phone: NEW_MOBILE,
      userId: 'CUST-1',
      status: 'identified',
    });
    expect(await profileOf(t, 'email', 'ana@example.com')).toBeUndefined();
    expect((await profileOf(t, 'phone', NEW_MOBILE))?.id).toBe(ana!.id);
    const replaced = (await logOf(t, ana!.id)).filter((e) => e.type === 'identifier_replaced').map((e) => e.details);
    expect(replaced).toEqual([
      { kind: 'email', old: 'ana@example.com', new: 'ana.new@example.com', via: 'api' },
      { kind: 'phone', old: MOBILE, new: NEW_MOBILE, via: 'api' },
    ]);
  });

  it('adds an identifier the profile lacked, and its status follows', async () => {
    await usePrimaryKey(t, 'userId');
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    expect(ana?.status).toBe('addressable');
    const res = await patch(ana!.id, { userId: 'CUST-9' });
    expect(res.body).toMatchObject({ userId: 'CUST-9', status: 'identified' });
    expect((await logOf(t, ana!.id)).at(-1)).toMatchObject({ type: 'identifier_added', details: { kind: 'userId', value: 'CUST-9' } });
  });

  it('answers 409 naming the field when another profile owns the new value, and changes nothing', async () => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
    await identify(t, { anonymousId: 'b1', email: 'bo@example.com' });
    const bo = await profileOf(t, 'email', 'bo@example.com');
    const res = await patch(bo!.id, { phone: NEW_MOBILE, email: 'ana@example.com' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'identifier_taken', field: 'email' });
    expect(await profileOf(t, 'email', 'bo@example.com')).toMatchObject({ phone: null });
    expect(await profileOf(t, 'phone', NEW_MOBILE)).toBeUndefined();
  });

  it.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ phone: '12' }, 'phone'],
    [{ userId: '   ' }, 'userId'],
    [{ email: 'test@test.com' }, 'email'],
    [{ name: 'Ana' }, 'name'],
    [{}, 'body'],
    [['x'], 'body'],
  ])('answers 400 for %j naming %s', async (body, field) => {
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    const res = await patch(ana!.id, body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  it('answers 404 for an unknown profile and 401 without the secret key', async () => {
    expect((await patch('nobody', { email: 'x@example.com' })).status).toBe(404);
    await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
    const ana = await profileOf(t, 'email', 'ana@example.com');
    const res = await t.app.request(`/api/profiles/${ana!.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${t.writeKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'evil@example.com' }),
    });
    expect(res.status).toBe(401);
    expect((await profileOf(t, 'email', 'ana@example.com'))?.id).toBe(ana!.id);
  });
});
