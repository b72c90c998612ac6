import { sql } from 'kysely';
import { parseDefinition } from '../domain/segments/parse.js';
import { planSegment, type Plan } from '../domain/segments/plan.js';
import type { Db } from '../repos/db.js';
import type { OutboxEvent } from '../repos/outbox.js';
import { segmentMembers, segmentSql } from '../repos/segment-sql.js';
import { addMembers, idsOf, removeMembers, replaceMembers, storedMembers } from '../repos/segment-members.js';
import { markMembersBuilt } from '../repos/segments.js';
import type { ServiceContext } from './context.js';

/** A saved segment or a trigger condition, planned once per pass at the pass's time. */
export interface Planned<T> {
  of: T;
  plan: Plan;
}

/** Plans a stored definition at `now`; a definition that no longer parses (an older format) matches no one. */
export function planStored<T>(of: T, definition: unknown, now: number): Planned<T> | undefined {
  try {
    return { of, plan: planSegment(parseDefinition(definition), now) };
  } catch {
    return undefined;
  }
}

/**
 * Stores the segment's whole membership as its query answers now,
 * unannounced: a new or redefined segment, or one saved before live
 * membership (a definition that no longer parses keeps no members).
 *
 * @example
 * await db.transaction().execute((trx) => rebuildMembers(trx, ctx, segment.id, segment.definition));
 */
export async function rebuildMembers(trx: Db, ctx: ServiceContext, id: string, definition: unknown): Promise<void> {
  const planned = planStored({ id }, definition, ctx.now());
  const ws = ctx.workspace.id;
  const rows = planned
    ? segmentMembers(ws, segmentSql(ctx.database.dialect, ws, planned.plan))
    : sql`select id, status from profiles where 1 = 0`;
  await replaceMembers(trx, ws, id, rows, ctx.now());
  await markMembersBuilt(trx, ws, id, ctx.now());
}

/** Which of `ids` match the plan now, through the segment SQL scoped to them. */
export const matchingIds = (db: Db, ctx: ServiceContext, plan: Plan, ids: string[]): Promise<Set<string>> =>
  idsOf(db, segmentMembers(ctx.workspace.id, segmentSql(ctx.database.dialect, ctx.workspace.id, plan, ids), ids));

/**
 * Brings the stored membership of each saved segment in line for `ids`
 * (SPEC §5), answering the `segment.entered` / `segment.exited`
 * announcements for the caller to write in the same transaction. A merged
 * or deleted profile matches nothing, so it leaves every segment.
 *
 * @example
 * const events = await updateMembership(trx, ctx, segments, ['p1', 'p2']);
 */
export async function updateMembership(
  trx: Db,
  ctx: ServiceContext,
  segments: Planned<{ id: string }>[],
  ids: string[],
): Promise<OutboxEvent[]> {
  const ws = ctx.workspace.id;
  const now = ctx.now();
  const out: OutboxEvent[] = [];
  for (const { of: segment, plan } of segments) {
    const matches = await matchingIds(trx, ctx, plan, ids);
    const stored = await storedMembers(trx, ws, segment.id, ids);
    // Only rows this pass actually wrote are announced: a second pass racing it announces nothing twice.
    const entered = await addMembers(
      trx,
      ws,
      segment.id,
      [...matches].filter((id) => !stored.has(id)),
      now,
    );
    const exited = await removeMembers(
      trx,
      ws,
      segment.id,
      [...stored].filter((id) => !matches.has(id)),
    );
    const announce = (type: string) => (profileId: string) => ({ type, profileId, data: { segmentId: segment.id, profileId }, at: now });
    out.push(...entered.map(announce('segment.entered')), ...exited.map(announce('segment.exited')));
  }
  return out;
}
