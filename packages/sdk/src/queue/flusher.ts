import { KEEPALIVE_BUDGET_BYTES, MAX_BATCH_BYTES, type Message } from '@threadline/protocol';
import { backoffDelay } from '../transport/backoff.js';
import type { SendOutcome } from '../transport/post-batch.js';
import type { Log } from '../util/logger.js';
import type { Timers } from '../util/timeout.js';
import { withFlushLock, type LocksLike } from './flush-lock.js';
import { createStrikes, POISON_STRIKES } from './poison.js';
import { overCaps, type QueueCaps } from './queue-caps.js';
import type { Queue, QueueEntry } from './queue.js';
import { BATCH_MESSAGES, batchBytes, takeBatch } from './take-batch.js';

export interface FlusherDeps {
  queue: Queue;
  send: (batch: Message[], keepalive?: boolean) => Promise<SendOutcome>;
  keyBytes: number;
  caps: QueueCaps;
  now: () => number;
  random: () => number;
  timers: Timers;
  locks: LocksLike | undefined;
  log: Log;
  /** Debounce after an enqueue, so a burst of calls goes in one request. */
  delayMs: number;
  /** False while consent is pending or denied (SPEC §7): nothing is read, scheduled or sent. Default: always. */
  active?: () => boolean;
}

/** When another tab holds the lock (or the lock failed), look again after this long. */
const IDLE_MS = 10_000;

export interface Flusher {
  /** Schedules a flush shortly (debounced). */
  soon(): void;
  /** Sends until the queue is empty (true) or a send failed or must wait (false). Never rejects. */
  flush(wait: boolean): Promise<boolean>;
  /**
   * Page hide: synchronously sends this page's unacknowledged messages with
   * `fetch(…, { keepalive: true })`, within the 64 KiB the browser allows in
   * flight. They stay queued, so the next page re-sends whatever did not
   * arrive; the collector ignores repeats.
   */
  hide(): void;
}

/**
 * Creates the one flusher of a client: batches, the outcome rules of the
 * wire contract, backoff, and the timer that runs while anything is queued.
 * @example const flusher = createFlusher(deps); flusher.soon();
 */
export function createFlusher(deps: FlusherDeps): Flusher {
  const { queue, now, log, timers } = deps;
  let halted = false;
  let attempts = 0;
  let retryAt = 0;
  let tail: Promise<unknown> = Promise.resolve();
  let timer: unknown;
  let inflight = 0;
  // Messages per request: halved when a batch fails again with a suspect error, doubled back on success.
  let limit = BATCH_MESSAGES;
  const strikes = createStrikes();

  // One timer. An enqueue never postpones a pending one (a steady stream of
  // calls must not starve the flush); the outcome of a run replaces it.
  function schedule(ms: number, replace?: boolean) {
    if (timer !== undefined && !replace) return;
    timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = undefined;
      void flush(false);
    }, ms);
  }

  async function deliver(batch: QueueEntry[]): Promise<boolean> {
    strikes.sent();
    const outcome = await deps.send(batch.map((e) => e.m));
    if (outcome.kind === 'split' && batch[1]) {
      const half = Math.ceil(batch.length / 2);
      return (await deliver(batch.slice(0, half))) && deliver(batch.slice(half));
    }
    const verdict = outcome.kind === 'retry' && outcome.suspect ? strikes.fail(batch) : undefined;
    if (verdict === 'split') limit = Math.ceil(batch.length / 2);
    if (verdict === 'drop') {
      log('drop', batch[0]!.id, `server error ${POISON_STRIKES} times while others were accepted`);
      limit = BATCH_MESSAGES; // what made batches small is gone
      queue.remove(batch);
      return true;
    }
    if (outcome.kind === 'retry') {
      retryAt = now() + (outcome.afterMs ?? backoffDelay(attempts, deps.random));
      attempts++;
      return false;
    }
    if (outcome.kind === 'stop') {
      halted = true;
      log('stop', outcome.reason);
      return false;
    }
    // Rejected messages are acknowledged too: the collector will refuse them again, so never retry.
    if (outcome.kind === 'ack') outcome.rejected.forEach((r) => log('drop', r.messageId, r.field, r.reason));
    else if (outcome.kind === 'drop')
      log(
        'drop',
        batch.map((e) => e.id),
        outcome.reason,
      );
    else log('drop', batch[0]!.id, 'too large'); // a single message answered 413
    strikes.ack(batch);
    limit = Math.min(BATCH_MESSAGES, limit * 2);
    attempts = 0;
    queue.remove(batch);
    return true;
  }

  async function run(): Promise<boolean> {
    // Sent ids are skipped even if removing them failed, so a broken store cannot loop us.
    const done = new Set<string>();
    for (;;) {
      const all = await queue.list();
      const drops = overCaps(all, now(), deps.caps);
      drops.forEach((d) => (done.add(d.entry.id), log('drop', d.entry.id, d.reason)));
      if (drops.length) queue.remove(drops.map((d) => d.entry));
      const entries = all.filter((e) => !done.has(e.id));
      if (!entries.length) return true;
      if (halted || now() < retryAt) return false;
      const batch = takeBatch(entries, MAX_BATCH_BYTES, limit, deps.keyBytes);
      batch.forEach((e) => done.add(e.id));
      if (!(await deliver(batch))) return false;
    }
  }

  const active = () => deps.active?.() ?? true;

  function flush(wait: boolean): Promise<boolean> {
    if (!active()) return Promise.resolve(false);
    const result = tail
      .then(() => withFlushLock(run, wait, deps.locks))
      .then(
        (ok) => {
          // null: another tab holds the lock and flushes the shared queue; look again later.
          if (ok === null) schedule(IDLE_MS, true);
          else if (!ok && !halted) schedule(Math.max(retryAt - now(), deps.delayMs), true);
          return ok === true;
        },
        (e) => {
          log(e);
          schedule(IDLE_MS, true);
          return false;
        },
      );
    tail = result;
    return result;
  }

  function hide() {
    if (halted || !active()) return;
    const batch = takeBatch(queue.unacked(), KEEPALIVE_BUDGET_BYTES - inflight, BATCH_MESSAGES, deps.keyBytes, true);
    if (!batch.length) return;
    const bytes = batchBytes(batch, deps.keyBytes);
    inflight += bytes;
    deps
      .send(
        batch.map((e) => e.m),
        true,
      )
      // Acknowledged while the page lives on (a tab switch, bfcache): no need to send again.
      .then((o) => o.kind === 'ack' && queue.remove(batch), log)
      .finally(() => (inflight -= bytes));
  }

  return { soon: () => active() && schedule(deps.delayMs), flush, hide };
}
