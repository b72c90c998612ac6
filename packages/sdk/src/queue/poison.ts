import type { QueueEntry } from './queue.js';

/** Server errors a lone message may get, while the collector accepts others, before it is dropped as poison. */
export const POISON_STRIKES = 5;

/** What the flusher does after a server error: drop the lone message, halve the batch, or just wait. */
export type StrikeVerdict = 'drop' | 'split' | undefined;

export interface Strikes {
  /** Counts a request about to be sent. */
  sent(): void;
  /** The collector took these (stored, refused or dropped them): they are no longer suspects. */
  ack(batch: QueueEntry[]): void;
  /** Records a server error for `batch` and says what to do about it. */
  fail(batch: QueueEntry[]): StrikeVerdict;
}

/**
 * Tells a poison message (one the collector fails on every time) from an
 * outage (issue 8 §2). Each message counts the server errors of the requests
 * that carried it. A batch that fails a second time is halved, so bisection
 * isolates the failing message while its neighbours get through; a lone
 * message is dropped after POISON_STRIKES errors only if some other request
 * was acknowledged after its first one. In an outage nothing is acknowledged,
 * so nothing is ever dropped: the queue waits, as SPEC §8 promises.
 * @example const strikes = createStrikes(); strikes.sent(); strikes.fail(batch) // 'split' | 'drop' | undefined
 */
export function createStrikes(): Strikes {
  const struck = new Map<string, { n: number; at: number }>();
  let sent = 0;
  let acked = 0;
  return {
    sent: () => void sent++,
    ack(batch) {
      acked = sent;
      for (const e of batch) struck.delete(e.id);
    },
    fail(batch) {
      const before = struck.get(batch[0]!.id);
      for (const e of batch) {
        const s = struck.get(e.id);
        struck.set(e.id, { n: (s?.n ?? 0) + 1, at: s?.at ?? sent });
      }
      const head = struck.get(batch[0]!.id)!;
      if (batch[1]) return before ? 'split' : undefined;
      if (head.n < POISON_STRIKES || acked <= head.at) return undefined;
      struck.delete(batch[0]!.id);
      return 'drop';
    },
  };
}
