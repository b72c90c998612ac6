import { describe, expect, it, vi } from 'vitest';
import { appendLog } from '../repos/contact-log.js';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, logOf, profileOf, track, usePrimaryKey } from '../test-support/identity.js';
import { useWebhookRig } from '../test-support/webhooks.js';

const databases = await testDatabases();
// Opening a PostgreSQL store waits for the suites' schema lock: on a busy shared machine, longer than the 10 s hook default.
vi.setConfig({ hookTimeout: 60_000 });
/** Several passes of the worker on PostgreSQL, on a shared 2-core machine: more than the suite's 20 s default. */
const SLOW_MACHINE_MS = 60_000;
const MOBILE = '+14155552671';

describe.each(databases)('webhook deliveries on $name', (store) => {
  const t = useTestApp(store);
  const rig = useWebhookRig(t);

  it(
    'announces a new profile with profile.created, signed so the standardwebhooks verifier accepts it',
    async () => {
      const endpoint = await rig.subscribe();
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await rig.drain();

      const ana = await profileOf(t, 'email', 'ana@example.com');
      expect(rig.receiver.received).toHaveLength(1);
      const [got] = rig.receiver.received;
      expect(got!.error).toBeUndefined();
      expect(got!.payload).toMatchObject({ type: 'profile.created', data: { profileId: ana!.id, via: 'identify' } });
      expect(got!.payload!.timestamp).toBe('2026-01-01T12:00:00.000Z');
      const [delivery] = await rig.deliveries(endpoint.id);
      expect(delivery).toMatchObject({ id: got!.id, type: 'profile.created', status: 'delivered', attempts: 1, lastStatus: 200 });
      expect(got!.headers['webhook-signature']).toMatch(/^v1,/);
    },
    SLOW_MACHINE_MS,
  );

  it(
    'announces a merge with the identifiers that linked the profiles, the rule and the log entry',
    async () => {
      await rig.subscribe(['profile.merged']);
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'b1', phone: MOBILE });
      const walkIn = await profileOf(t, 'phone', MOBILE);
      await identify(t, { anonymousId: 'c1', email: 'ana@example.com', phone: MOBILE });
      await rig.drain();

      const ana = await profileOf(t, 'email', 'ana@example.com');
      const mergedEntry = (await logOf(t, ana!.id)).find((e) => e.type === 'merged');
      expect(rig.receiver.payloads()).toEqual([
        {
          type: 'profile.merged',
          timestamp: expect.any(String),
          data: {
            survivorId: ana!.id,
            mergedIds: [walkIn!.id],
            linkedBy: [
              { kind: 'email', value: 'ana@example.com', profileId: ana!.id },
              { kind: 'phone', value: MOBILE, profileId: walkIn!.id },
            ],
            rule: 'merge_into_primary_key_holder',
            via: 'identify',
            logId: mergedEntry!.id,
          },
        },
      ]);
    },
    SLOW_MACHINE_MS,
  );

  it(
    'announces a refused merge once, naming both profiles, the reason and the identifiers',
    async () => {
      await rig.subscribe(['profile.merge_refused']);
      await identify(t, { anonymousId: 'shared-device', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'shared-device', email: 'bo@example.com' });
      await rig.drain();

      const ana = await profileOf(t, 'email', 'ana@example.com');
      const bo = await profileOf(t, 'email', 'bo@example.com');
      const payloads = rig.receiver.payloads();
      expect(payloads).toHaveLength(1);
      expect(payloads[0]).toMatchObject({
        type: 'profile.merge_refused',
        data: { reason: 'primary_key_conflict', identifiers: [{ kind: 'anonymousId', value: 'shared-device' }] },
      });
      expect([...payloads[0]!.data.profileIds].sort()).toEqual([ana!.id, bo!.id].sort());
    },
    SLOW_MACHINE_MS,
  );

  it(
    'announces a deletion with profile.deleted',
    async () => {
      await rig.subscribe(['profile.deleted']);
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      const ana = await profileOf(t, 'email', 'ana@example.com');
      expect((await t.admin(`/api/profiles/${ana!.id}`, { method: 'DELETE' })).status).toBe(204);
      await rig.drain();
      expect(rig.receiver.payloads()).toMatchObject([{ type: 'profile.deleted', data: { profileId: ana!.id } }]);
    },
    SLOW_MACHINE_MS,
  );

  it(
    'redacts the stored bodies of a deleted profile’s sent deliveries, as its log is',
    async () => {
      await rig.subscribe(['profile.merge_refused']);
      await identify(t, { anonymousId: 'shared-device', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'shared-device', email: 'bo@example.com' });
      await rig.drain();
      const delivery = await t.database.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(delivery.body).toContain('shared-device');
      const profileId = delivery.profile_id!;
      expect((await t.admin(`/api/profiles/${profileId}`, { method: 'DELETE' })).status).toBe(204);
      const after = await t.database.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(JSON.parse(after.body)).toEqual({
        type: 'profile.merge_refused',
        timestamp: expect.any(String),
        data: { profileId, redacted: true },
      });
    },
    SLOW_MACHINE_MS,
  );

  it(
    'sends one profile’s events in order: a later one waits while an earlier one is retried',
    async () => {
      await rig.subscribe();
      rig.receiver.answer(500);
      await identify(t, { anonymousId: 'a1', phone: MOBILE });
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await rig.drain();
      expect(rig.receiver.received.map((r) => r.payload?.type)).toEqual(['profile.created']);

      rig.receiver.answer(200);
      rig.advance(5_000);
      await rig.drain();
      const p = await profileOf(t, 'phone', MOBILE);
      expect(rig.receiver.payloads().map((x) => x.type)).toEqual(['profile.created', 'profile.created', 'profile.status_changed']);
      expect(rig.receiver.payloads()[2]!.data).toEqual({ profileId: p!.id, from: 'addressable', to: 'identified' });
    },
    SLOW_MACHINE_MS,
  );

  it(
    'announces an unmerge once, and the survivor’s status changes the merge and the unmerge cause',
    async () => {
      await usePrimaryKey(t, 'phone');
      await rig.subscribe(['profile.unmerged', 'profile.status_changed']);
      await track(t, 'a1', 'Product Viewed'); // the oldest profile: anonymous
      t.tick(1000);
      await identify(t, { anonymousId: 'b1', email: 'ana@example.com' }); // addressable (the primary key is the phone)
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' }); // both keyless: the oldest survives and gains the email
      const survivor = await profileOf(t, 'anonymousId', 'a1');
      const merge = (await logOf(t, survivor!.id)).find((e) => e.type === 'merged')!;
      const res = await t.admin(`/api/profiles/${survivor!.id}/unmerge`, { method: 'POST', body: { logId: merge.id } });
      expect(res.status).toBe(200);
      await rig.drain();
      expect(rig.receiver.payloads().map((p) => [p.type, p.data.from, p.data.to])).toEqual([
        ['profile.status_changed', 'anonymous', 'addressable'],
        ['profile.status_changed', 'addressable', 'anonymous'],
        ['profile.unmerged', undefined, undefined],
      ]);
      expect(rig.receiver.payloads()[2]!.data).toMatchObject({
        survivorId: survivor!.id,
        restoredId: merge.details.mergedId,
        mergeLogId: merge.id,
      });
    },
    SLOW_MACHINE_MS,
  );

  it(
    'announces a finished import with its counts',
    async () => {
      await rig.subscribe(['import.finished', 'profile.created']);
      const res = await t.admin('/api/contacts/bulk', {
        method: 'POST',
        body: { contacts: [{ email: 'ana@example.com' }, { email: 'nope' }] },
      });
      await rig.drain();
      expect(rig.receiver.payloads().map((p) => p.type)).toEqual(['profile.created', 'import.finished']);
      expect(rig.receiver.payloads()[1]!.data).toMatchObject({ importId: res.body.id, status: 'done', rows: 2, created: 1, rejected: 1 });
    },
    SLOW_MACHINE_MS,
  );

  it(
    'announces nothing of a change that rolled back',
    async () => {
      const endpoint = await rig.subscribe();
      const ws = (await t.database.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
      await expect(
        t.database.db.transaction().execute(async (trx) => {
          await appendLog(trx, ws, [{ profileId: 'p-gone', type: 'created', at: 1, details: { via: 'identify' } }]);
          throw new Error('the change fails after logging');
        }),
      ).rejects.toThrow('the change fails');
      await rig.drain();
      expect(rig.receiver.received).toEqual([]);
      expect(await rig.deliveries(endpoint.id)).toEqual([]);
    },
    SLOW_MACHINE_MS,
  );

  it(
    'writes nothing for types no enabled endpoint wants',
    async () => {
      const endpoint = await rig.subscribe(['profile.deleted']);
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await t.admin(`/api/webhooks/${endpoint.id}`, { method: 'PATCH', body: { events: ['*'], enabled: false } });
      await identify(t, { anonymousId: 'b1', email: 'bo@example.com' });
      const rows = await t.database.db.selectFrom('webhook_deliveries').selectAll().execute();
      expect(rows).toEqual([]);
    },
    SLOW_MACHINE_MS,
  );
});
