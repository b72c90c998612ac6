import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { openDatabase } from '../../packages/collector/src/db/connection.js';
import { markAnonymousIdsDirty, readDirty, clearDirty } from '../../packages/collector/src/repos/audience-dirty.js';
import { ensureDefaultWorkspace } from '../../packages/collector/src/repos/workspaces.js';
import { settleAudiences } from '../../packages/collector/src/services/audience-pass.js';
import type { ServiceContext } from '../../packages/collector/src/services/context.js';
import { ingest } from '../../packages/collector/src/services/ingest.js';
import { createSegment } from '../../packages/collector/src/services/segments.js';
import { config } from '../config.js';
import { fmt, median } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import type { Part } from '../report/model.js';
import { seedAudience } from './seed-audience.js';

const NAMES = ['Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started', 'Order Completed'];

/** Twenty saved segments of the kinds a store keeps: profile conditions, behaviour in minutes to days, and mixes. */
export const MEMBERSHIP_SEGMENTS: unknown[] = [
  { has: 'email' },
  { status: ['identified'] },
  { trait: 'plan', op: 'eq', value: 'gold' },
  { all: [{ has: 'email' }, { suppressed: 'email', is: false }] },
  { any: [{ has: 'phone' }, { trait: 'ltv', op: 'gt', value: 500 }] },
  ...NAMES.map((event) => ({ event, within: { hours: 4 } })),
  ...NAMES.map((event) => ({ event, within: { days: 30 }, atLeast: 2 })),
  { all: [{ event: 'Product Added', within: { hours: 4 } }, { not: { event: 'Order Completed', within: { hours: 4 } } }] },
  { all: [{ event: 'Product Viewed', where: [{ property: 'price', op: 'gte', value: 150 }] }, { has: 'email' }] },
  { all: [{ status: ['anonymous'] }, { event: 'Cart Viewed', within: { minutes: 30 } }] },
  { not: { event: 'Order Completed', within: { days: 60 } } },
  {
    all: [{ event: 'Checkout Started', within: { days: 7 } }, { not: { event: 'Order Completed', within: { days: 7 } } }, { has: 'phone' }],
  },
];

/** Anonymous ID of seeded visitor i (as seed-audience makes them). */
const visitorId = (i: number) => `10000000-0000-4000-8000-${100000000000 + i}`;

/**
 * Live membership upkeep (issue 10): a seeded workspace with 20 saved
 * segments takes batches of 100 track events from known visitors through the
 * ingest service; each round's audience pass (re-checking every marked
 * profile against all 20 segments) is timed and divided by the events that
 * caused it. In process, so the figure is the upkeep's own, not HTTP's.
 */
export async function measureMembership(store: BenchStore): Promise<Part> {
  const location = await store.fresh('membership');
  const database = await openDatabase(location);
  const profiles = config.membershipProfiles;
  const events = config.membershipEvents;
  const batches = config.membershipBatches;
  const rounds = config.membershipRounds;
  try {
    const { workspace } = await ensureDefaultWorkspace(database.db, { writeKey: config.writeKey, secretKey: config.secretKey }, Date.now());
    await seedAudience(database, { profiles, events }, Date.now());
    // PostgreSQL's autovacuum would have analyzed tables this size by now; the collector never runs ANALYZE on SQLite, so neither does the bench.
    if (database.dialect === 'postgres') await sql`vacuum analyze`.execute(database.db);
    const ctx: ServiceContext = { database, workspace, now: Date.now, newId: randomUUID };
    const t0 = performance.now();
    for (const [i, definition] of MEMBERSHIP_SEGMENTS.entries()) await createSegment(ctx, { name: `s${i}`, definition });
    const baselineMs = performance.now() - t0;
    await settleAudiences(ctx); // the seed's own marks: none, but the pass clock starts here

    const passMs: number[] = [];
    const ingestMs: number[] = [];
    const markMs: number[] = [];
    let checked = 0;
    let announced = 0;
    let seed = 1;
    const random = () => {
      seed = (seed * 48271) % 2147483647; // Park–Miller: the same visitors every run
      return seed / 2147483647;
    };
    for (let r = 0; r < rounds; r++) {
      const ids: string[] = [];
      const ti = performance.now();
      for (let b = 0; b < batches; b++) {
        const messages = Array.from({ length: 100 }, () => {
          const anonymousId = visitorId(1 + Math.floor(random() * profiles));
          ids.push(anonymousId);
          return {
            type: 'track',
            messageId: randomUUID(),
            anonymousId,
            event: NAMES[Math.floor(random() * NAMES.length)],
            properties: { price: Math.floor(random() * 200) },
          };
        });
        await ingest(ctx, messages, { verified: false, receivedAt: Date.now() });
      }
      ingestMs.push(performance.now() - ti);
      const tp = performance.now();
      const result = await settleAudiences(ctx, 1000);
      passMs.push(performance.now() - tp);
      checked += result.checked;
      announced += result.announced;
      // The marking statement alone, for the same visitors: ingest's share of the upkeep.
      const tm = performance.now();
      for (let b = 0; b < batches; b++) await markAnonymousIdsDirty(database.db, workspace.id, ids.slice(b * 100, (b + 1) * 100));
      markMs.push(performance.now() - tm);
      await clearDirty(database.db, workspace.id, await readDirty(database.db, workspace.id, 100_000));
    }
    const perRound = batches * 100;
    const pass = median(passMs);
    const perEventUs = (pass * 1000) / perRound;
    const markUs = (median(markMs) * 1000) / perRound;
    const ingestUs = (median(ingestMs) * 1000) / perRound;
    return {
      tables: [
        {
          title: `Live membership upkeep, ${store.name} (20 saved segments; ${fmt(profiles)} profiles, ${fmt(events)} events)`,
          headers: [
            'events a round',
            'pass ms (median)',
            'µs per event',
            'profiles re-checked a round',
            'ingest µs per event (marking included)',
            'marking µs per event',
            'every pass (ms)',
          ],
          rows: [
            [
              fmt(perRound),
              fmt(pass, 1),
              fmt(perEventUs, 1),
              fmt(checked / rounds),
              fmt(ingestUs, 1),
              fmt(markUs, 1),
              passMs.map((x) => fmt(x)).join(', '),
            ],
          ],
        },
      ],
      method: [
        `Live membership: a fresh ${store.name} workspace is seeded in bulk SQL (as the segment preview benchmark, ${fmt(profiles)} profiles and ${fmt(events)} events) and statistics refreshed on PostgreSQL only (\`vacuum analyze\`, as autovacuum would; SQLite runs without, as the collector never analyzes), and given 20 saved segments (profile conditions, behaviour within 30 minutes to 60 days, mixes; their first membership took ${fmt(baselineMs)} ms in all). Each of ${rounds} rounds ingests ${batches} batches of 100 track events from random known visitors through the ingest service (in process), then times one audience pass re-checking every marked profile against the 20 segments and writing membership changes and announcements (${fmt(announced / rounds)} a round). The marking statement is also timed alone for the same visitors. Medians.`,
      ],
      missed: [],
      findings: [],
      headline: [
        `Live membership upkeep on ${store.name} with 20 saved segments: ${fmt(perEventUs, 1)} µs of background pass per ingested event (${fmt(pass)} ms for ${fmt(perRound)} events), ${fmt(markUs, 1)} µs of marking in ingest.`,
      ],
    };
  } finally {
    await database.close();
  }
}
