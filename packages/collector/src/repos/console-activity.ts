import { sql } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { LogEntry, LogType } from './contact-log.js';
import type { Db } from './db.js';
import { parseJson } from './json.js';

export const DAY_MS = 86_400_000;

// A literal, not a parameter: PostgreSQL must see the select and the group by as one expression.
const dayOf = (column: string) => sql<number>`cast(${sql.ref(column)} / ${sql.lit(DAY_MS)} as bigint)`;

/**
 * Per UTC day since `since`: profiles created, and identifications (a known
 * identifier, not an anonymous ID, attached to a profile), for the overview chart.
 */
export async function activityByDay(db: Db, dialect: Dialect, workspaceId: string, since: number) {
  const created = await db
    .selectFrom('profiles')
    .select([dayOf('created_at').as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', since)
    .groupBy(dayOf('created_at'))
    .execute();
  const kind = dialect === 'postgres' ? sql`details->>'kind'` : sql`json_extract(details, '$.kind')`;
  const identified = await db
    .selectFrom('contact_log')
    .select([dayOf('at').as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('type', '=', 'identifier_added')
    .where('at', '>=', since)
    .where(sql<boolean>`${kind} in ('email', 'phone', 'userId')`)
    .groupBy(dayOf('at'))
    .execute();
  const toMap = (rows: Array<{ day: number; n: number }>) => new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
  return { created: toMap(created), identified: toMap(identified) };
}

/** The workspace's latest contact-log entries of some types, newest first. */
export async function recentLogEntries(db: Db, workspaceId: string, types: LogType[], limit: number): Promise<LogEntry[]> {
  const rows = await db
    .selectFrom('contact_log')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('type', 'in', types)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    profileId: r.profile_id,
    type: r.type as LogType,
    at: Number(r.at),
    details: parseJson(r.details, {}),
  }));
}
