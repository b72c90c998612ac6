import type { Log } from './logger.js';

/**
 * Wraps a public method so the host page never sees our exceptions (HOUSE-STYLE, errors):
 * a throw or a rejection is logged and becomes `undefined`.
 * @example const track = guard(log, (event: string) => enqueue(event));
 */
export function guard<A extends unknown[], R>(log: Log, fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      const result = fn(...args);
      return (result instanceof Promise ? result.catch((e) => void log(e)) : result) as R;
    } catch (e) {
      log(e);
      return undefined as R;
    }
  };
}

/**
 * Runs `fn` and turns a synchronous throw into a rejection: idb-keyval throws
 * synchronously when `indexedDB` itself is missing.
 * @example await attempt(() => get('aid', store)).catch(() => undefined);
 */
export function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}
