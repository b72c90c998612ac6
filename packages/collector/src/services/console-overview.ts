import { activityByDay, DAY_MS, recentLogEntries } from '../repos/console-activity.js';
import type { LogType } from '../repos/contact-log.js';
import type { ServiceContext } from './context.js';
import { workspaceStats } from './stats.js';

/** Days the overview chart covers, today included. */
export const OVERVIEW_DAYS = 14;

export interface DayActivity {
  /** YYYY-MM-DD (UTC). */
  day: string;
  created: number;
  identified: number;
}

/** claim_refused arrives with the verified-claims work; listing it already costs nothing. */
const NOTABLE = ['merged', 'merge_refused', 'claim_refused'] as unknown as LogType[];

/**
 * What the console's overview shows: the admin API's stats, profiles created
 * and identifications per day, and the latest merges and refusals (each merge
 * once, from its survivor's side).
 *
 * @example
 * const { stats, days, recent } = await consoleOverview(ctx);
 */
export async function consoleOverview(ctx: ServiceContext) {
  const today = Math.floor(ctx.now() / DAY_MS);
  const first = today - OVERVIEW_DAYS + 1;
  const [stats, activity, entries] = await Promise.all([
    workspaceStats(ctx),
    activityByDay(ctx.database.db, ctx.database.dialect, ctx.workspace.id, first * DAY_MS),
    recentLogEntries(ctx.database.db, ctx.workspace.id, NOTABLE, 40),
  ]);
  const days: DayActivity[] = Array.from({ length: OVERVIEW_DAYS }, (_, i) => ({
    day: new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
    created: activity.created.get(first + i) ?? 0,
    identified: activity.identified.get(first + i) ?? 0,
  }));
  const seen = new Set<string>();
  const recent = entries
    .filter((e) => !(e.type === 'merged' && e.details.role === 'merged'))
    .filter((e) => {
      // A refusal is written on both profiles it concerns; show it once.
      const key = `${e.type}:${e.at}:${JSON.stringify(e.details.identifiers ?? e.id)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, 10);
  return { stats, days, recent };
}
