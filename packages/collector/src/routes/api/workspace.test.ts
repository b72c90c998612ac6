import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { sendOne } from '../../test-support/identity.js';
import { testDatabases } from '../../test-support/databases.js';

const databases = await testDatabases();

describe.each(databases)('workspace admin API on $name', (store) => {
  const t = useTestApp(store);

  const identify = (message: Record<string, unknown>) => sendOne(t, 'identify', message);
  const visit = (anonymousId: string) => sendOne(t, 'page', { anonymousId });
  const suppress = async (channel: string, address: string) => {
    const ws = await t.database.db.selectFrom('workspaces').select('id').where('write_key', '=', t.writeKey).executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('suppressions')
      .values({ workspace_id: ws.id, channel, address, reason: 'unsubscribed', source: 'test', at: 0 })
      .execute();
  };

  describe('stats', () => {
    it('answers zero counts for an empty workspace', async () => {
      const res = await t.admin('/api/stats');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        contacts: 0,
        identified: 0,
        addressable: 0,
        anonymous: 0,
        reachability: { email: 0, sms: 0, whatsapp: 0, push: 0, webpush: 0 },
      });
    });

    it('counts identified and addressable profiles as contacts and anonymous ones apart, with reachability per channel', async () => {
      await identify({ anonymousId: 'v-ana', traits: { email: 'ana@example.com', phone: '+14155552671' } });
      await identify({ anonymousId: 'v-bo', traits: { email: 'bo@example.com' } });
      await identify({ anonymousId: 'v-walkin', traits: { phone: '+14155552672' } });
      await visit('v-anon1');
      await visit('v-anon2');
      await identify({ anonymousId: 'v-anon3', traits: { email: 'not an email' } });

      const res = await t.admin('/api/stats');
      expect(res.body).toEqual({
        contacts: 3,
        identified: 2,
        addressable: 1,
        anonymous: 3,
        reachability: { email: 2, sms: 2, whatsapp: 2, push: 0, webpush: 0 },
      });
    });

    it('leaves suppressed addresses out of reachability on that channel only', async () => {
      await identify({ anonymousId: 'v-ana', traits: { email: 'ana@example.com', phone: '+14155552671' } });
      await identify({ anonymousId: 'v-bo', traits: { email: 'bo@example.com', phone: '+14155552672' } });
      await suppress('email', 'ana@example.com');
      await suppress('sms', '+14155552672');

      const { body } = await t.admin('/api/stats');
      expect(body.contacts).toBe(2);
      expect(body.reachability).toEqual({ email: 1, sms: 1, whatsapp: 2, push: 0, webpush: 0 });
    });

    it('counts a merged pair once', async () => {
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      await identify({ anonymousId: 'v2', traits: { phone: '+14155552671' } });
      expect((await t.admin('/api/stats')).body).toMatchObject({ contacts: 2, identified: 1, addressable: 1 });

      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com', phone: '+14155552671' } });
      const { body } = await t.admin('/api/stats');
      expect(body).toMatchObject({ contacts: 1, identified: 1, addressable: 0, anonymous: 0, reachability: { email: 1, sms: 1 } });
    });
  });

  describe('settings', () => {
    const patch = (body: unknown) => t.admin('/api/settings', { method: 'PATCH', body });

    it('answers the default settings', async () => {
      const res = await t.admin('/api/settings');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        primaryKey: 'email',
        defaultCountry: 'US',
        blockList: expect.arrayContaining(['test@test.com', 'noemail@example.com', '0000000000']),
        traitConflictPolicy: 'survivor',
        hardBounceThreshold: expect.any(Number),
        verifiedLinksOnly: false,
      });
    });

    it.each([
      [{ primaryKey: 'fax' }, 'primaryKey'],
      [{ defaultCountry: 'usa' }, 'defaultCountry'],
      [{ defaultCountry: 'us' }, 'defaultCountry'],
      [{ blockList: 'test@test.com' }, 'blockList'],
      [{ traitConflictPolicy: 'oldest' }, 'traitConflictPolicy'],
      [{ hardBounceThreshold: 0 }, 'hardBounceThreshold'],
      [{ hardBounceThreshold: 2.5 }, 'hardBounceThreshold'],
      [{ verifiedLinksOnly: 'yes' }, 'verifiedLinksOnly'],
    ])('refuses %j with 400 naming %s, and keeps the settings', async (body, field) => {
      const before = (await t.admin('/api/settings')).body;
      const res = await patch(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: expect.any(String), field, message: expect.stringContaining(field) });
      expect((await t.admin('/api/settings')).body).toEqual(before);
    });

    // 'XX' passes a two-capital-letters check but names no country: every
    // national phone number would then fail to parse and link nothing.
    it('refuses a default country that is not an ISO 3166-1 country code with 400 naming defaultCountry', async () => {
      const res = await patch({ defaultCountry: 'XX' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ field: 'defaultCountry' });
      expect((await t.admin('/api/settings')).body.defaultCountry).toBe('US');
    });

    it('refuses a settings body that is not JSON with 400 naming body', async () => {
      const res = await t.app.request('/api/settings', {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${t.secretKey}`, 'Content-Type': 'application/json' },
        body: '{"primaryKey":',
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ field: 'body' });
    });

    it('refuses to change the primary key once profiles exist with 409 naming primaryKey', async () => {
      await visit('v1');
      const res = await patch({ primaryKey: 'phone' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: expect.any(String),
        field: 'primaryKey',
        message: expect.stringContaining('primaryKey'),
      });
      expect((await t.admin('/api/settings')).body.primaryKey).toBe('email');
    });

    it('accepts the unchanged primary key alongside other changes once profiles exist', async () => {
      await visit('v1');
      const res = await patch({ primaryKey: 'email', hardBounceThreshold: 5 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ primaryKey: 'email', hardBounceThreshold: 5 });
    });

    it('changes the primary key on an empty workspace, and identity follows the new key', async () => {
      const res = await patch({ primaryKey: 'phone' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ primaryKey: 'phone', defaultCountry: 'US' });
      expect((await t.admin('/api/settings')).body.primaryKey).toBe('phone');

      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      const profile = await t.admin('/api/profiles/lookup?email=ana%40example.com');
      expect(profile.body.status).toBe('addressable');
    });

    it('reads national numbers in a changed default country', async () => {
      const res = await patch({ defaultCountry: 'IN' });
      expect(res.status).toBe(200);
      await identify({ anonymousId: 'v1', traits: { phone: '09876543210' } });
      const profile = await t.admin(`/api/profiles/lookup?phone=${encodeURIComponent('98765 43210')}`);
      expect(profile.status).toBe(200);
      expect(profile.body.phone).toBe('+919876543210');
    });

    it('keeps the settings not named in a patch', async () => {
      const before = (await t.admin('/api/settings')).body;
      const res = await patch({ verifiedLinksOnly: true });
      expect(res.status).toBe(200);
      expect((await t.admin('/api/settings')).body).toEqual({ ...before, verifiedLinksOnly: true });
    });
  });
});
