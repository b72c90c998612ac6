/** Versioned lock name shared by every tab of the origin. */
export const FLUSH_LOCK = 'threadline-v1-flush';

/** The slice of the Web Locks API used here. */
export interface LocksLike {
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/**
 * Runs `fn` while holding the origin-wide flush lock so exactly one tab sends
 * (SPEC §8). `wait: false` gives up at once (null) when another tab holds it.
 * Without Web Locks every tab just flushes: the collector de-duplicates by
 * messageId, so the worst case is a repeated request.
 * @example await withFlushLock(() => sendAll(), false, navigator.locks)
 */
export function withFlushLock<T>(fn: () => Promise<T>, wait: boolean, locks: LocksLike | undefined): Promise<T | null> {
  return locks ? locks.request(FLUSH_LOCK, { ifAvailable: !wait }, (lock) => (lock ? fn() : Promise.resolve(null))) : fn();
}

/**
 * The page's Web Locks, when the browser has them (Safari 15.4+, Chrome 69+).
 * @example browserLocks()?.request(…)
 */
export function browserLocks(): LocksLike | undefined {
  return globalThis.navigator?.locks;
}
