/** A log sink: silent unless the site turned `debug` on. */
export type Log = (...args: unknown[]) => void;

/**
 * Creates the SDK's logger: a no-op by default so a storefront's console stays clean.
 * @example const log = createLogger(true); log('dropped', reason);
 */
export function createLogger(debug?: boolean): Log {
  return debug ? console.warn.bind(console, '[threadline]') : () => {};
}
