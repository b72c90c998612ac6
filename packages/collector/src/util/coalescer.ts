/** How a coalescer gathers calls (createCoalescer). */
export interface CoalescerOptions<T, R> {
  /** Calls of one key that may run at once; a call arriving while that many run waits. */
  inFlight: number;
  /** The most one run may gather, summed by `size`; a call larger than that still runs, alone. */
  maxSize: number;
  size: (item: T) => number;
  /** Runs the items as one operation and answers each item's result, in order. */
  run: (key: string, items: T[]) => Promise<R[]>;
}

interface Call<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

interface Lane<T, R> {
  waiting: Call<T, R>[];
  running: number;
}

/**
 * Group commit for one bulk operation: calls of a key run at once while
 * fewer than `inFlight` of its runs are under way; the calls that arrive
 * while they are wait, and the next free run takes as many of them as fit
 * in `maxSize`, in the order they came, as one. An idle key never waits, so
 * this costs nothing when calls are few, and under load each run carries
 * what queued behind the last: fewer, larger statements and commits.
 * A failed run that gathered several calls runs each of them again alone,
 * so one call's failure stays its own.
 *
 * @example
 * const insert = createCoalescer({ inFlight: 2, maxSize: 500, size: (e) => e.length, run: (ws, parts) => insertAll(ws, parts) });
 * const ids = await insert(workspaceId, events);
 */
export function createCoalescer<T, R>(opts: CoalescerOptions<T, R>): (key: string, item: T) => Promise<R> {
  const lanes = new Map<string, Lane<T, R>>();

  /** Runs the group's items as one and answers each call; never throws. */
  const runGroup = async (key: string, group: Call<T, R>[]): Promise<void> => {
    try {
      const results = await opts.run(
        key,
        group.map((c) => c.item),
      );
      group.forEach((c, i) => c.resolve(results[i]!));
    } catch (err) {
      if (group.length === 1) return group[0]!.reject(err);
      // Gathered: each call runs again alone, so a failure reaches only the call it is about.
      for (const c of group) await runGroup(key, [c]);
    }
  };

  const pump = (key: string, lane: Lane<T, R>) => {
    while (lane.running < opts.inFlight && lane.waiting.length) {
      const group = [lane.waiting.shift()!];
      let size = opts.size(group[0]!.item);
      while (lane.waiting.length && size + opts.size(lane.waiting[0]!.item) <= opts.maxSize) {
        const next = lane.waiting.shift()!;
        size += opts.size(next.item);
        group.push(next);
      }
      lane.running++;
      void runGroup(key, group).finally(() => {
        lane.running--;
        if (lane.running || lane.waiting.length) pump(key, lane);
        else lanes.delete(key); // a key's lane lives only while it has calls
      });
    }
  };

  return (key, item) =>
    new Promise<R>((resolve, reject) => {
      const lane = lanes.get(key) ?? { waiting: [], running: 0 };
      lanes.set(key, lane);
      lane.waiting.push({ item, resolve, reject });
      pump(key, lane);
    });
}
