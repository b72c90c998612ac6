import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, retryDelay } from '../domain/webhooks/retry.js';
import { claimDue, recordAttempt, type AttemptOutcome, type ClaimedDelivery } from '../repos/webhook-claims.js';
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

  async function deliver(d: ClaimedDelivery): Promise<void> {
    const at = now();
    const result = await sendWebhook({ id: d.id, url: d.url, secret: d.secret, body: d.body, at }, timeoutMs, o.fetch);
    const attempts = d.attempts + 1;
    const delay = result.ok || d.retryOnce || attempts >= MAX_ATTEMPTS ? undefined : retryDelay(attempts, random);
    const next: AttemptOutcome['next'] = result.ok
      ? { status: 'delivered' }
      : delay === undefined
        ? { status: 'failed' }
        : { status: 'pending', at: at + delay };
    const finished = now();
    const recorded = await recordAttempt(database.db, d, {
      at,
      status: result.status,
      error: result.error,
      durationMs: finished - at,
      next,
    });
    if (!recorded) return logger.warn({ delivery: d.id }, 'webhook claim ran out before the attempt was recorded');
    await noteEndpointOutcome(database.db, d.workspaceId, d.endpointId, { ok: result.ok, now: at, disableBefore: at - DISABLE_AFTER_MS });
    if (!result.ok)
      logger.info({ delivery: d.id, endpoint: d.endpointId, attempt: attempts, error: result.error, next }, 'webhook attempt failed');
  }

  async function runOnce(): Promise<number> {
    const t = now();
    const claimed = await claimDue(database.db, database.dialect, t, t + leaseMs, batchSize);
    await Promise.all(
      claimed.map((d) => deliver(d).catch((err) => logger.error({ err, delivery: d.id }, 'webhook delivery failed to record'))),
    );
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
