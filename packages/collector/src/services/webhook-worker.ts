import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, retryDelay } from '../domain/webhooks/retry.js';
import { claimDue, recordAttempts, type AttemptOutcome, type ClaimedDelivery } from '../repos/webhook-claims.js';
import { noteEndpointOutcome } from '../repos/webhook-endpoints.js';
import { sendWebhook } from './webhook-send.js';

export interface WebhookWorkerOptions {
  database: Database;
  logger: Logger;
  now: () => number;
  random?: () => number;
  fetch?: typeof fetch;
  /** How long a claim holds a delivery: longer than `timeoutMs`, so a live worker never loses one it is sending. */
  leaseMs?: number;
  /** Wait for a receiver's answer. */
  timeoutMs?: number;
  /** Deliveries claimed (and sent side by side) at a time. */
  batchSize?: number;
  /** Pause between claims when nothing was due. */
  pollMs?: number;
}

export interface WebhookWorker {
  /** Claims what is due now, sends it, records each attempt; answers how many were sent. */
  runOnce(): Promise<number>;
  /** Runs until stop(): claims again at once after a full batch, else after `pollMs`. */
  start(): void;
  /** Stops claiming and waits for the deliveries in flight to be recorded. */
  stop(): Promise<void>;
}

/**
 * The one worker that sends what the outbox holds (SPEC §9, HOUSE-STYLE
 * "outbound work"): it runs beside request handling, never inside it, so a
 * slow or dead receiver costs ingest nothing but the rows it reads.
 *
 * @example
 * const worker = createWebhookWorker({ database, logger, now: Date.now }); worker.start(); … await worker.stop();
 */
export function createWebhookWorker(o: WebhookWorkerOptions): WebhookWorker {
  const { database, logger, now } = o;
  const random = o.random ?? Math.random;
  const timeoutMs = o.timeoutMs ?? 15_000;
  const leaseMs = o.leaseMs ?? Math.max(60_000, timeoutMs + 5_000);
  if (leaseMs <= timeoutMs) throw new Error('webhook worker: leaseMs must be longer than timeoutMs, or a slow receiver gets a second copy');
  const batchSize = o.batchSize ?? 20;
  const pollMs = o.pollMs ?? 1_000;

  async function attempt(d: ClaimedDelivery): Promise<{ delivery: ClaimedDelivery; outcome: AttemptOutcome; ok: boolean }> {
    const at = now();
    const result = await sendWebhook({ id: d.id, url: d.url, secret: d.secret, body: d.body, at }, timeoutMs, o.fetch);
    const attempts = d.attempts + 1;
    const delay = result.ok || d.retryOnce || attempts >= MAX_ATTEMPTS ? undefined : retryDelay(attempts, random);
    const next: AttemptOutcome['next'] = result.ok
      ? { status: 'delivered' }
      : delay === undefined
        ? { status: 'failed' }
        : { status: 'pending', at: at + delay };
    if (!result.ok)
      logger.info({ delivery: d.id, endpoint: d.endpointId, attempt: attempts, error: result.error, next }, 'webhook attempt failed');
    return { delivery: d, ok: result.ok, outcome: { at, status: result.status, error: result.error, durationMs: now() - at, next } };
  }

  /** Per endpoint, one note a batch: any success clears its failure record; all failing starts or continues it. */
  async function noteEndpoints(results: Array<{ delivery: ClaimedDelivery; outcome: AttemptOutcome; ok: boolean }>) {
    const byEndpoint = new Map<string, { workspaceId: string; ok: boolean; at: number }>();
    for (const r of results) {
      const key = `${r.delivery.workspaceId}:${r.delivery.endpointId}`;
      const seen = byEndpoint.get(key);
      byEndpoint.set(key, {
        workspaceId: r.delivery.workspaceId,
        ok: (seen?.ok ?? false) || r.ok,
        at: Math.max(seen?.at ?? 0, r.outcome.at),
      });
    }
    for (const [key, e] of byEndpoint) {
      const endpointId = key.slice(e.workspaceId.length + 1);
      await noteEndpointOutcome(database.db, e.workspaceId, endpointId, { ok: e.ok, now: e.at, disableBefore: e.at - DISABLE_AFTER_MS });
    }
  }

  async function runOnce(): Promise<number> {
    const t = now();
    const claimed = await claimDue(database.db, database.dialect, t, t + leaseMs, batchSize);
    if (!claimed.length) return 0;
    // Sent side by side; recorded together in one transaction, so the worker's writes cost ingest one short transaction a batch.
    const results = await Promise.all(claimed.map(attempt));
    const recorded = new Set(await recordAttempts(database.db, results));
    if (recorded.size < results.length)
      logger.warn({ lost: results.length - recorded.size }, 'webhook claims ran out before their attempts were recorded');
    await noteEndpoints(results.filter((r) => recorded.has(r.delivery)));
    return claimed.length;
  }

  let running: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  async function loop() {
    while (!stopped) {
      const sent = await runOnce().catch((err) => (logger.error({ err }, 'webhook worker pass failed'), 0));
      if (!stopped && sent < batchSize) await pause(pollMs);
    }
  }

  return {
    runOnce,
    start() {
      stopped = false;
      running ??= loop().finally(() => (running = undefined));
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
