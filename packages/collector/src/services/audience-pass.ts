import { sql } from 'kysely';
import type { Dialect } from '../db/schema.js';
import { windowedEvents } from '../domain/segments/plan-walk.js';
import { clearDirty, lastPassAt, markProfilesDirty, readDirty, recordPass } from '../repos/audience-dirty.js';
import type { Db } from '../repos/db.js';
import { appendOutbox } from '../repos/outbox.js';
import { listSegments } from '../repos/segments.js';
import { listTriggers } from '../repos/triggers.js';
import { profilesWithEventsBetween } from '../repos/window-edges.js';
import type { ServiceContext } from './context.js';
import { planStored, rebuildMembers, updateMembership, type Planned } from './segment-upkeep.js';
import { expireWaits, updateTriggers } from './trigger-upkeep.js';

/** Profiles re-checked per transaction: bounds how long one pass holds the workspace's audience lock. */
export const PASS_BATCH = 500;

export interface PassResult {
  /** Profiles re-checked. */
  checked: number;
  /** Announcements written (segment.entered/exited, trigger.fired). */
  announced: number;
  expired: number;
}

/** One audience writer per workspace at a time (several collector processes on one PostgreSQL); SQLite has one connection anyway. */
async function lockAudience(trx: Db, ctx: ServiceContext) {
  if (ctx.database.dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtextextended(${`audience:${ctx.workspace.id}`}, 0))`.execute(trx);
}

/**
 * Plans a pass batch's statements for what they are: every one is scoped to
 * at most PASS_BATCH profiles, whose identities and events it finds by key
 * (`identities_profile`, `events_source`), over pages the ingest just wrote.
 * PostgreSQL's default cost of a random page read, four sequential ones
 * (set for spinning disks), made it scan whole tables instead once a
 * workspace was small enough: a parallel scan of 200,000 events for a
 * behaviour condition (130–170 ms a batch) and of the identities for
 * `profile_id in (…)`. Costed at 1.1, the common setting for SSDs and
 * cached data, it takes the keys. For this transaction only (`set local`);
 * SQLite has no such cost and keeps its plans.
 *
 * @example
 * await db.transaction().execute(async (trx) => { await planForFewProfiles(trx, 'postgres'); … });
 */
export async function planForFewProfiles(trx: Db, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`set local random_page_cost = 1.1`.execute(trx);
}

/**
 * Marks the profiles whose events left a window since the last pass: their
 * match may have changed with no event at all ("no order within 2 hours").
 * An event at time T is inside a window W until now − W passes T, so the
 * ones that left are those with T in [previous − W, now − W).
 */
async function markClosedWindows(ctx: ServiceContext, plans: Planned<unknown>[], now: number) {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  await db.transaction().execute(async (trx) => {
    await lockAudience(trx, ctx);
    const previous = await lastPassAt(trx, ws);
    if (previous !== undefined && previous < now) {
      const windows = new Map<string, { name: string; windowMs: number }>();
      for (const w of plans.flatMap((p) => windowedEvents(p.plan))) windows.set(`${w.windowMs}:${w.name}`, w);
      for (const w of windows.values()) {
        const ids = await profilesWithEventsBetween(trx, ws, w.name, previous - w.windowMs, now - w.windowMs);
        await markProfilesDirty(trx, ws, ids);
      }
    }
    await recordPass(trx, ws, now);
  });
}

/**
 * Settles a workspace's live audiences at `ctx.now()` (SPEC §5, §9): closed
 * windows mark their profiles, then every marked profile is re-checked
 * against the saved segments and enabled triggers in batches, each batch's
 * membership, firings and announcements written in one transaction; waits
 * that ran out expire last, so a profile that became reachable in time fires.
 *
 * @example
 * await settleAudiences(ctx); // → { checked, announced, expired }
 */
export async function settleAudiences(ctx: ServiceContext, maxBatches = 20): Promise<PassResult> {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const now = ctx.now();
  const saved = await listSegments(db, ws);
  // A segment saved before live membership existed starts from its whole query, once.
  for (const s of saved.filter((x) => x.membersAt === null)) {
    await db.transaction().execute(async (trx) => {
      await lockAudience(trx, ctx);
      await rebuildMembers(trx, ctx, s.id, s.definition);
    });
  }
  const segments = saved.flatMap((s) => planStored({ id: s.id }, s.definition, now) ?? []);
  const triggers = (await listTriggers(db, ws, true)).flatMap((t) => planStored(t, t.condition, now) ?? []);
  const result: PassResult = { checked: 0, announced: 0, expired: 0 };
  await markClosedWindows(ctx, [...segments, ...triggers], now);

  for (let batch = 0; batch < maxBatches; batch++) {
    const marks = await readDirty(db, ws, PASS_BATCH);
    if (!marks.length) break;
    const ids = marks.map((m) => m.profileId);
    await db.transaction().execute(async (trx) => {
      await lockAudience(trx, ctx);
      await planForFewProfiles(trx, ctx.database.dialect);
      const events = [...(await updateMembership(trx, ctx, segments, ids)), ...(await updateTriggers(trx, ctx, triggers, ids))];
      await appendOutbox(trx, ws, events);
      await clearDirty(trx, ws, marks);
      result.announced += events.length;
    });
    result.checked += ids.length;
    if (marks.length < PASS_BATCH) break;
  }
  if (triggers.length) {
    result.expired = await db.transaction().execute(async (trx) => {
      await lockAudience(trx, ctx);
      return expireWaits(trx, ctx);
    });
  }
  return result;
}
