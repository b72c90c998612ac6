const NODE = 'Node core';
const UNATTRIBUTED = 'V8 and native, unattributed';

/** The profiler's own work (serialising the profile): not the server's, left out of totals. */
export const PROFILER = 'bench profiler itself';

/** A V8 CPU profile (Profiler.stop), the fields read here. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where a frame's time is booked: a package, a source file of this repo, Node
 * core, GC or idle. Native frames (no URL: better-sqlite3's statements, JSON,
 * crypto) are booked to the nearest caller that has one, so SQLite's own work
 * shows under the Kysely driver that called it; Node core to the package
 * that called into it.
 */
function areaOf(url: string): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('node:')) return NODE;
  if (url.includes('kysely') && url.includes('/sqlite/')) return "SQLite: native statements via Kysely's driver";
  if (url.includes('bench/bare-store.ts')) return "SQL: the bare server's statements (SQLite's own work on SQLite)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg === 'pg' || pkg === 'pg-protocol' || pkg === 'pg-pool' ? 'pg (PostgreSQL client)' : pkg;
  const own = /\/(packages\/\w+\/src\/.+|bench\/.+)$/.exec(url)?.[1];
  return own ?? url;
}

const SPECIAL = new Map([
  ['(garbage collector)', 'garbage collection'],
  ['(idle)', 'idle (waiting: I/O, database, CPU)'],
  ['(program)', UNATTRIBUTED],
]);

/**
 * Microseconds of self time per area. A sample's time is capped at
 * `maxDeltaUs`: on a busy machine the process is sometimes descheduled for
 * hundreds of milliseconds, and the uncapped gap would be booked to whatever
 * frame happened to be on the stack.
 */
export function timeByArea(profile: CpuProfile, maxDeltaUs: number): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaCache = new Map<number, string>();
  const resolve = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached) return cached;
    const { functionName, url } = byId.get(id)!.callFrame;
    const up = parent.get(id);
    const inBench = url.includes('bench/collector/instrument.ts');
    // The statement counter is booked to whoever called the statement; everything else of instrument.ts is the profiler at work.
    const own = inBench ? (functionName === 'countedStatement' ? undefined : PROFILER) : (SPECIAL.get(functionName) ?? areaOf(url));
    const caller = up === undefined ? undefined : resolve(up);
    let area = caller === PROFILER ? PROFILER : (own ?? caller ?? UNATTRIBUTED);
    // Node's own code is booked to whoever called it (HTTP for hono, socket writes for pg), or to the event loop.
    if (area === NODE)
      area =
        !caller || caller === UNATTRIBUTED
          ? `${NODE} from the event loop (socket reads, timers, callbacks)`
          : caller.startsWith(NODE)
            ? caller
            : `${NODE} called by ${caller}`;
    areaCache.set(id, area);
    return area;
  };
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const area = resolve(id);
    out.set(area, (out.get(area) ?? 0) + Math.min(profile.timeDeltas[i] ?? 0, maxDeltaUs));
  });
  return out;
}

/**
 * The role an area plays in a request, so the two servers compare like for
 * like: V8 books JSON.parse to the calling file, which is the collector's
 * json-body middleware but the baseline's own handler.
 */
export function roleOf(area: string): string {
  if (/kysely|sqlite|SQLite|pg \(|called by pg/.test(area)) return 'SQL (Kysely, drivers, SQLite itself, pg socket I/O)';
  if (/hono/.test(area)) return 'HTTP (Hono, @hono/node-server and the Node core they call)';
  if (/^packages\/|^bench\/|valibot|libphonenumber/.test(area)) return 'request code (body parsing, validation, identity, rows)';
  if (area === 'garbage collection') return area;
  return 'other (event loop, V8)';
}
