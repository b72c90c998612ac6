import autocannon from 'autocannon';
import { config } from '../config.js';
import { median } from '../lib/stats.js';

export interface LoadResult {
  /** 2xx answers a second. */
  requestsPerSec: number;
  /** Messages a second in 2xx answers: requests × batch size. */
  eventsPerSec: number;
  p50: number;
  p99: number;
  /** Requests that failed: non-2xx answers, socket errors and timeouts. */
  failed: number;
  ok: number;
  /** Requests sent, those still in flight at the deadline included. */
  sent: number;
}

export interface LoadOptions {
  /** How long to load (default config.durationS)… */
  seconds?: number;
  /** …or how many requests to send, however long that takes. */
  amount?: number;
  connections?: number;
}

/**
 * Drives `url` with concurrent connections (config.connections by default),
 * each request a fresh body from `nextBody` (autocannon rebuilds a request
 * whenever it has a setupRequest). Loopback only.
 */
export async function load(url: string, nextBody: () => string, perRequest: number, opts: LoadOptions = {}): Promise<LoadResult> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load: loopback only, got ${url}`);
  const seconds = opts.seconds ?? config.durationS;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections ?? config.connections,
    // autocannon ends a run at its next sample tick, and its duration with it:
    // with the default 1 s ticks, 2,000 identifies done in 2.1 s read as 3.02 s
    // (662/s), so counted runs sample every 20 ms.
    ...(opts.amount ? { amount: opts.amount, sampleInt: 20 } : { duration: seconds }),
    headers: { 'content-type': 'text/plain' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }) }],
  });
  const ok = result['2xx'];
  const elapsed = result.duration || seconds;
  return {
    requestsPerSec: ok / elapsed,
    eventsPerSec: (ok * perRequest) / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
    ok,
    sent: result.requests.sent ?? ok,
  };
}

/** Slices of one load as one result: totals summed; p50 and p99 are the medians of the slices'. */
function combine(slices: LoadResult[], perRequest: number, seconds: number): LoadResult {
  const ok = slices.reduce((n, s) => n + s.ok, 0);
  return {
    requestsPerSec: ok / seconds,
    eventsPerSec: (ok * perRequest) / seconds,
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    failed: slices.reduce((n, s) => n + s.failed, 0),
    ok,
    sent: slices.reduce((n, s) => n + s.sent, 0),
  };
}

export interface Target {
  url: string;
  nextBody: () => string;
}

/**
 * Loads several targets with the same request shape fairly on a shared
 * machine: each warmed up (unmeasured), then `config.rounds` slices of the
 * measured time, alternating which goes first. Also answers every 2xx
 * (warm-up included) so stored rows can be checked.
 */
export async function compareLoads(
  targets: Target[],
  perRequest: number,
): Promise<{ results: LoadResult[]; slices: LoadResult[][]; acknowledged: number[] }> {
  const acknowledged = targets.map(() => 0);
  for (const [i, t] of targets.entries()) acknowledged[i]! += (await load(t.url, t.nextBody, perRequest, { seconds: config.warmupS })).ok;
  const slice = config.durationS / config.rounds;
  const slices: LoadResult[][] = targets.map(() => []);
  for (let round = 0; round < config.rounds; round++) {
    const order = targets.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) slices[i]!.push(await load(targets[i]!.url, targets[i]!.nextBody, perRequest, { seconds: slice }));
  }
  return {
    results: slices.map((s) => combine(s, perRequest, slice * config.rounds)),
    slices,
    acknowledged: acknowledged.map((n, i) => n + slices[i]!.reduce((sum, s) => sum + s.ok, 0)),
  };
}
