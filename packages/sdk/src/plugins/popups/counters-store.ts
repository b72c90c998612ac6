import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Counters, RuleCounter } from './frequency.js';

/** Versioned key: a new counter format gets a new key, never a reinterpretation. */
export const COUNTERS_KEY = 'tl_popups_v1';

/**
 * The SDK's own IndexedDB database and store (`threadline-v1`/`kv`, as
 * storage/kv-store.ts opens it; plugins may not import storage/), so clearing
 * the SDK's data clears the caps too. Lazy: nothing opens until first use.
 * @example const store = popupsStore();
 */
export function popupsStore(): UseStore {
  return createStore('threadline-v1', 'kv');
}

/** Rejects instead of throwing where `indexedDB` itself is missing (idb-keyval throws synchronously there). */
const run = <T>(fn: () => Promise<T>) => new Promise<T>((resolve) => resolve(fn()));

/**
 * Every rule's counter; `{}` when IndexedDB is unavailable (caps then hold for the page only).
 * @example const counters = await loadCounters(store);
 */
export function loadCounters(store: UseStore): Promise<Counters> {
  return run(() => store('readonly', (s) => promisifyRequest(s.get(COUNTERS_KEY)))).then(
    (v) => (v && typeof v === 'object' ? (v as Counters) : {}),
    () => ({}),
  );
}

/**
 * Updates one rule's counter in a single read-write transaction, so two tabs
 * counting at once both count. Resolves with the stored counter.
 * @example await saveCounter(store, rule.id, (c) => countOutcome(c, 'shown', now));
 */
export function saveCounter(store: UseStore, id: string, update: (c: RuleCounter | undefined) => RuleCounter): Promise<RuleCounter> {
  return run(() =>
    store('readwrite', async (s) => {
      const all = ((await promisifyRequest(s.get(COUNTERS_KEY))) ?? {}) as Counters;
      all[id] = update(all[id]);
      s.put(all, COUNTERS_KEY);
      await promisifyRequest(s.transaction);
      return all[id]!;
    }),
  );
}

/** The part of `sessionStorage` the session counts use. */
export type SessionLike = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Impressions per rule in this browser session (sessionStorage, same key);
 * `{}` where sessionStorage is unavailable or throws (sandboxed frames).
 * @example const shown = readSession(sessionStorage)[rule.id] ?? 0;
 */
export function readSession(storage: SessionLike | undefined): Record<string, number> {
  try {
    const v = JSON.parse(storage?.getItem(COUNTERS_KEY) ?? '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/**
 * Counts one impression of `id` in this session and answers the new counts.
 * @example session = countInSession(sessionStorage, rule.id);
 */
export function countInSession(storage: SessionLike | undefined, id: string): Record<string, number> {
  const counts = readSession(storage);
  counts[id] = (counts[id] ?? 0) + 1;
  try {
    storage?.setItem(COUNTERS_KEY, JSON.stringify(counts));
  } catch {
    // Quota or a sandbox: the count holds for this page only.
  }
  return counts;
}

/** sessionStorage key holding the anonymous ID that identified in this session (an ID the cookie holds anyway). */
export const KNOWN_KEY = 'tl_popups_v1_known';

/**
 * Remembers, for the session, that the visitor with this anonymous ID
 * identified: the collector's answer may be cached for a minute, and the next
 * page must not ask them again for what they just gave.
 * @example rememberIdentified(sessionStorage, api.anonymousId());
 */
export function rememberIdentified(storage: SessionLike | undefined, anonymousId: string | undefined): void {
  try {
    if (anonymousId) storage?.setItem(KNOWN_KEY, anonymousId);
  } catch {
    // The in-page flag still holds.
  }
}

/**
 * Whether this anonymous ID identified earlier in the session (after `reset()` the ID is new, so it did not).
 * @example identifiedBefore(sessionStorage, api.anonymousId()) // true
 */
export function identifiedBefore(storage: SessionLike | undefined, anonymousId: string | undefined): boolean {
  try {
    return !!anonymousId && storage?.getItem(KNOWN_KEY) === anonymousId;
  } catch {
    return false;
  }
}
