/** How long one request may keep the event loop before it lets others in (issue 8: no request stalls others ~100 ms). */
export const SLICE_MS = 10;

/** Lets the event loop run once (setImmediate: sockets are read and written, waiting I/O callbacks run), then answers. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A pause to call between units of a long piece of work: once `sliceMs` have
 * passed since the last pause it yields to the event loop (setImmediate, so
 * I/O waiting for its turn runs first), otherwise it answers at once. SQLite
 * calls are synchronous: without such pauses a 2,500-message batch of new
 * visitors keeps every other request waiting for seconds. Order is kept: the
 * caller awaits each pause before its next unit.
 *
 * @example const pause = createPause(); for (const m of messages) { await pause(); await store(m); }
 */
export function createPause(sliceMs = SLICE_MS, now: () => number = () => performance.now()): () => Promise<void> {
  let since = now();
  return async () => {
    if (now() - since < sliceMs) return;
    await nextTurn();
    since = now();
  };
}

/**
 * Runs `work` on `items` in runs of at most `size`, one after another with a
 * pause before each, and answers the results in order.
 *
 * @example const ids = await inSlices(events, 250, pause, (chunk) => insertEvents(db, ws, chunk));
 */
export async function inSlices<T, R>(items: T[], size: number, pause: () => Promise<void>, work: (slice: T[]) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    await pause();
    out.push(await work(items.slice(i, i + size)));
  }
  return out;
}

/**
 * `inSlices` for work that answers sets (IDs stored, IDs found): their union.
 *
 * @example const stored = await unionInSlices(ids, 250, pause, (slice) => storedMessageIds(db, ws, slice));
 */
export async function unionInSlices<T, R>(
  items: T[],
  size: number,
  pause: () => Promise<void>,
  work: (slice: T[]) => Promise<Set<R>>,
): Promise<Set<R>> {
  const out = new Set<R>();
  for (const set of await inSlices(items, size, pause, work)) for (const r of set) out.add(r);
  return out;
}
