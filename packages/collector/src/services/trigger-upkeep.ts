import { matchingEvents } from '../domain/segments/plan-walk.js';
import { windowMs } from '../domain/segments/schema.js';
import { nextFiring } from '../domain/triggers/next-firing.js';
import type { TriggerChannel } from '../domain/triggers/parse-trigger.js';
import { reachablePlan } from '../domain/triggers/reachable-plan.js';
import type { Db } from '../repos/db.js';
import { matchedEvents, type MatchedEvent } from '../repos/matched-events.js';
import type { OutboxEvent } from '../repos/outbox.js';
import { expiredWaits, firingsFor, saveFiring, type FiringRecord } from '../repos/trigger-firings.js';
import type { TriggerRecord } from '../repos/triggers.js';
import { uuidv7 } from '../util/uuidv7.js';
import type { ServiceContext } from './context.js';
import { iso, readProfile } from './profile-view.js';
import { matchingIds, type Planned } from './segment-upkeep.js';

/** An event as `trigger.fired` and the firings list carry it. */
export const eventView = (e: MatchedEvent) => ({ ...e, timestamp: iso(e.timestamp) });

async function reachableIds(trx: Db, ctx: ServiceContext, channel: string, ids: string[]): Promise<Set<string>> {
  return ids.length ? matchingIds(trx, ctx, reachablePlan(channel as TriggerChannel), ids) : new Set();
}

/**
 * Advances each enabled trigger for `ids` (SPEC §9): a profile that matches
 * and is reachable fires once, with the events that matched (anonymous ones
 * included); one that matches while unreachable waits `waitFor`; a wait ends
 * when it stops matching or runs out. Answers the `trigger.fired`
 * announcements for the caller's transaction.
 *
 * @example
 * const events = await updateTriggers(trx, ctx, triggers, ['p1']);
 */
export async function updateTriggers(trx: Db, ctx: ServiceContext, triggers: Planned<TriggerRecord>[], ids: string[]) {
  const ws = ctx.workspace.id;
  const now = ctx.now();
  const out: OutboxEvent[] = [];
  const trxCtx: ServiceContext = { ...ctx, database: { ...ctx.database, db: trx } };
  for (const { of: trigger, plan } of triggers) {
    const matches = await matchingIds(trx, ctx, plan, ids);
    const reachable = await reachableIds(trx, ctx, trigger.channel, [...matches]);
    const firings = await firingsFor(trx, ws, trigger.id, ids);
    for (const profileId of ids) {
      const current = firings.get(profileId);
      const step = nextFiring(
        current,
        { matches: matches.has(profileId), reachable: reachable.has(profileId) },
        now,
        windowMs(trigger.waitFor),
      );
      if (step.kind === 'none') continue;
      const base: FiringRecord = current ?? {
        id: uuidv7(now),
        triggerId: trigger.id,
        profileId,
        status: 'waiting',
        matchedAt: now,
        expiresAt: now,
        firedAt: null,
        events: null,
        updatedAt: now,
      };
      if (step.kind === 'wait') {
        await saveFiring(trx, ws, { ...base, status: 'waiting', matchedAt: now, expiresAt: step.expiresAt, updatedAt: now });
      } else if (step.kind === 'cancel' || step.kind === 'expire') {
        await saveFiring(trx, ws, { ...base, status: step.kind === 'cancel' ? 'cancelled' : 'expired', updatedAt: now });
      } else {
        const events = (await matchedEvents(trx, ctx.database.dialect, ws, profileId, matchingEvents(plan))).map(eventView);
        const profile = await readProfile(trxCtx, profileId);
        await saveFiring(trx, ws, {
          ...base,
          status: 'fired',
          firedAt: now,
          expiresAt: current ? base.expiresAt : now,
          events,
          updatedAt: now,
        });
        out.push({ type: 'trigger.fired', profileId, data: { triggerId: trigger.id, firingId: base.id, profile, events }, at: now });
      }
    }
  }
  return out;
}

/** Ends the waits that ran out by `now` without the profile becoming reachable. */
export async function expireWaits(trx: Db, ctx: ServiceContext): Promise<number> {
  const ws = ctx.workspace.id;
  const now = ctx.now();
  const due = await expiredWaits(trx, ws, now);
  const byTrigger = new Map<string, string[]>();
  for (const d of due) byTrigger.set(d.triggerId, [...(byTrigger.get(d.triggerId) ?? []), d.profileId]);
  for (const [triggerId, profileIds] of byTrigger) {
    for (const f of (await firingsFor(trx, ws, triggerId, profileIds)).values()) {
      if (f.status === 'waiting' && f.expiresAt <= now) await saveFiring(trx, ws, { ...f, status: 'expired', updatedAt: now });
    }
  }
  return due.length;
}
