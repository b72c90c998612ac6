/** The timer functions the SDK schedules with; injected so tests control time. */
export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (id: unknown) => void;
}

/**
 * Settles with `fallback` when `promise` takes longer than `ms`: some browsers
 * (Safari 14.1, private modes) leave an IndexedDB open request hanging forever.
 * @example const mirror = await withTimeout(get('aid'), 1000, undefined, timers);
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T, timers: Timers): Promise<T> {
  return new Promise<T>((resolve) => {
    const id = timers.setTimeout(() => resolve(fallback), ms);
    promise.then(resolve, () => resolve(fallback)).finally(() => timers.clearTimeout(id));
  });
}
