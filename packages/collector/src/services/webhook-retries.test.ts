import { describe, expect, it, vi } from 'vitest';
import { MAX_ATTEMPTS, RETRY_DELAYS } from '../domain/webhooks/retry.js';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify } from '../test-support/identity.js';
import { useWebhookRig } from '../test-support/webhooks.js';

const databases = await testDatabases();
// Opening a PostgreSQL store waits for the suites' schema lock: on a busy shared machine, longer than the 10 s hook default.
vi.setConfig({ hookTimeout: 60_000 });
/** Several passes of the worker on PostgreSQL, on a shared 2-core machine: more than the suite's 20 s default. */
const SLOW_MACHINE_MS = 60_000;
const DAY = 24 * 3600_000;

describe.each(databases)('webhook retries on $name', (store) => {
  const t = useTestApp(store);
  const rig = useWebhookRig(t);

  it(
    'retries on the Standard Webhooks schedule, records every attempt, then marks the delivery failed',
    async () => {
      const endpoint = await rig.subscribe(['profile.created']);
      rig.receiver.answer(503);
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await rig.drain();

      let [d] = await rig.deliveries(endpoint.id);
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503' });
      for (const [i, delay] of RETRY_DELAYS.entries()) {
        rig.advance(delay - 1);
        await rig.drain();
        expect(rig.receiver.received).toHaveLength(i + 1); // not yet due
        rig.advance(1);
        await rig.drain();
        expect(rig.receiver.received).toHaveLength(i + 2);
      }
      [d] = await rig.deliveries(endpoint.id);
      expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null, deliveredAt: null });
      // At least a day of retries, as the brief asks.
      expect(RETRY_DELAYS.reduce((a, b) => a + b, 0)).toBeGreaterThan(DAY);
      const attempts = await t.database.db.selectFrom('webhook_attempts').selectAll().orderBy('attempt').execute();
      expect(attempts.map((a) => [a.attempt, a.status])).toEqual(Array.from({ length: MAX_ATTEMPTS }, (_, i) => [i + 1, 503]));
      expect(new Set(rig.receiver.received.map((r) => r.id))).toEqual(new Set([d!.id]));
    },
    SLOW_MACHINE_MS,
  );

  it(
    'sends a failed delivery once more on POST …/retry, with the same webhook-id and body',
    async () => {
      const endpoint = await rig.subscribe(['profile.created']);
      rig.receiver.answer(500);
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      for (const delay of [0, ...RETRY_DELAYS]) {
        rig.advance(delay);
        await rig.drain();
      }
      const [failed] = await rig.deliveries(endpoint.id);
      expect(failed!.status).toBe('failed');

      // A manual retry that fails again is one attempt, not a new schedule.
      const again = await t.admin(`/api/webhooks/${endpoint.id}/deliveries/${failed!.id}/retry`, { method: 'POST' });
      expect(again).toMatchObject({ status: 202, body: { id: failed!.id, status: 'pending' } });
      await rig.drain();
      expect((await rig.deliveries(endpoint.id))[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS + 1 });

      rig.receiver.answer(200);
      await t.admin(`/api/webhooks/${endpoint.id}/deliveries/${failed!.id}/retry`, { method: 'POST' });
      await rig.drain();
      expect((await rig.deliveries(endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 2, lastStatus: 200 });
      const last = rig.receiver.received.at(-1)!;
      expect(last.id).toBe(failed!.id);
      expect(last.body).toBe(rig.receiver.received[0]!.body);
      expect((await t.admin(`/api/webhooks/${endpoint.id}/deliveries/nope/retry`, { method: 'POST' })).status).toBe(404);
    },
    SLOW_MACHINE_MS,
  );

  it(
    'disables an endpoint every attempt to which has failed for 5 days, and stops queueing for it',
    async () => {
      const endpoint = await rig.subscribe(['profile.created']);
      rig.receiver.answer(500);
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await rig.drain();
      rig.advance(4 * DAY);
      await identify(t, { anonymousId: 'a2', email: 'bo@example.com' });
      await rig.drain();
      expect((await t.admin(`/api/webhooks/${endpoint.id}`)).body).toMatchObject({ enabled: true });

      rig.advance(DAY);
      await rig.drain();
      expect((await t.admin(`/api/webhooks/${endpoint.id}`)).body).toMatchObject({ enabled: false, disabledReason: 'failing' });
      const queued = (await rig.deliveries(endpoint.id)).length;
      await identify(t, { anonymousId: 'a3', email: 'cy@example.com' });
      expect(await rig.deliveries(endpoint.id)).toHaveLength(queued);

      // Enabling it again starts the count over.
      rig.receiver.answer(200);
      const res = await t.admin(`/api/webhooks/${endpoint.id}`, { method: 'PATCH', body: { enabled: true } });
      expect(res.body).toMatchObject({ enabled: true, disabledReason: null });
      await identify(t, { anonymousId: 'a4', email: 'di@example.com' });
      expect(await rig.deliveries(endpoint.id)).toHaveLength(queued + 1);
    },
    SLOW_MACHINE_MS,
  );

  it(
    'a success in between resets the disabling clock',
    async () => {
      const endpoint = await rig.subscribe(['profile.created']);
      rig.receiver.answer(500);
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com' });
      await rig.drain();
      rig.advance(3 * DAY);
      rig.receiver.answer(200);
      await identify(t, { anonymousId: 'a2', email: 'bo@example.com' });
      await rig.drain();
      rig.receiver.answer(500);
      rig.advance(3 * DAY);
      await identify(t, { anonymousId: 'a3', email: 'cy@example.com' });
      await rig.drain();
      expect((await t.admin(`/api/webhooks/${endpoint.id}`)).body).toMatchObject({ enabled: true });
    },
    SLOW_MACHINE_MS,
  );
});
