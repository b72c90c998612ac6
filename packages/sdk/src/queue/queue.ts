import type { Message } from '@threadline/protocol';
import type { UseStore } from 'idb-keyval';
import { readKv, writeKv } from '../storage/kv-store.js';
import { byteLength } from '../transport/encode.js';
import type { Log } from '../util/logger.js';
import { withTimeout, type Timers } from '../util/timeout.js';

/** One queued message: its id, when it was queued (ms), its JSON size in bytes. */
export interface QueueEntry {
  id: string;
  t: number;
  n: number;
  m: Message;
}

/** The durable queue (SPEC §8): IndexedDB shared by all tabs, plus this page's own unacknowledged messages in memory. */
export interface Queue {
  /** Queues a message; throws if it cannot be serialised (a circular object). */
  add(m: Message, t: number): void;
  /** Everything queued, oldest first, once this page's pending writes have committed. */
  list(): Promise<QueueEntry[]>;
  /** Forgets acknowledged (or dropped) entries; a later list() sees the deletion (IndexedDB orders transactions on a store). */
  remove(entries: QueueEntry[]): void;
  /** This page's unacknowledged entries, synchronously: what page hide still sends. */
  unacked(): QueueEntry[];
}

/** One timeout for the whole read: IndexedDB that hangs must not hang flush(). */
const LIST_TIMEOUT_MS = 2000;
// Array keys sort by time, then messageId; ['q', []] is above every ['q', number, …].
const key = (e: QueueEntry) => ['q', e.t, e.id];

/**
 * Creates the queue over the SDK's object store. When IndexedDB fails or
 * hangs, memory keeps the page's messages so they are still sent.
 * @example const queue = createQueue(openKvStore(), log, { setTimeout, clearTimeout });
 */
export function createQueue(store: UseStore, log: Log, timers: Timers): Queue {
  const mine = new Map<string, { e: QueueEntry; saved: boolean }>();
  let writing: Promise<unknown> = Promise.resolve();
  let last = 0;

  function add(m: Message, time: number) {
    // Strictly increasing within the page, so calls made in one millisecond keep their order in the key.
    const t = (last = Math.max(time, last + 1e-3));
    const json = JSON.stringify(m);
    // A parsed copy: the page may mutate its properties object later, and IndexedDB cannot clone functions.
    const e: QueueEntry = { id: m.messageId, t, n: byteLength(json), m: JSON.parse(json) as Message };
    const slot = { e, saved: false };
    mine.set(e.id, slot);
    const write = writeKv(store, [[key(e), e]]).then(
      () => void (slot.saved = true),
      log, // kept in memory: still sent from this page
    );
    writing = writing.then(() => write);
  }

  const list = () =>
    withTimeout(
      writing.then(() => readKv(store, (s) => [s.getAll(IDBKeyRange.bound(['q'], ['q', []]))])).then(([all]) => all as QueueEntry[]),
      LIST_TIMEOUT_MS,
      undefined,
      timers,
    ).then((stored) => {
      const ids = new Set(stored?.map((e) => e.id));
      const extra: QueueEntry[] = [];
      mine.forEach((s, id) => {
        if (ids.has(id)) return;
        // Saved, then gone: another tab had it acknowledged, so page hide need not send it.
        if (stored && s.saved) mine.delete(id);
        // Ours and not in storage: all of them when it is unreadable, else writes that failed.
        else extra.push(s.e);
      });
      return [...(stored ?? []), ...extra].sort((a, b) => a.t - b.t);
    });

  function remove(entries: QueueEntry[]) {
    entries.forEach((e) => mine.delete(e.id));
    writeKv(store, [], entries.map(key)).catch(log);
  }

  return { add, list, remove, unacked: () => [...mine.values()].map((s) => s.e) };
}
