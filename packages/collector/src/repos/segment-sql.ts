import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { Plan } from '../domain/segments/plan.js';
import { jsonPathTest } from './json-path-sql.js';

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

/** Profiles holding a current (not replaced) identifier of `kind`. */
const holding = (ws: string, kind: string) =>
  sql`select profile_id from identities where workspace_id = ${ws} and kind = ${kind} and replaced_at is null`;

/**
 * Profiles with at least `atLeast` matching events. Events hang on
 * identities, so the join through `identities` counts a merged profile's
 * whole history for its survivor without any event being rewritten.
 */
function doers(dialect: Dialect, ws: string, plan: Extract<Plan, { kind: 'event' }>) {
  const filters = [
    sql`e.workspace_id = ${ws}`,
    sql`e.event = ${plan.name}`,
    ...(plan.since === null ? [] : [sql`e.timestamp >= ${plan.since}`]),
    ...plan.where.map((w) => jsonPathTest(dialect, sql.ref('e.properties'), w)),
  ];
  const grouped = plan.atLeast > 1 ? sql` group by i.profile_id having count(*) >= ${plan.atLeast}` : sql``;
  return sql`select i.profile_id from events e
    join identities i on i.workspace_id = e.workspace_id and i.kind = e.source_kind and i.value = e.source_value
    where ${sql.join(filters, sql` and `)}${grouped}`;
}

/**
 * A segment plan as one boolean over the profile row aliased `p` (SPEC §5).
 * Leaves that need other tables are uncorrelated `p.id in (…)` subqueries:
 * each runs once per statement (SQLite keeps it as an ephemeral index,
 * PostgreSQL as a semi-join or hashed subplan), so the cost grows with the
 * rows a condition touches, not with profiles × conditions.
 *
 * @example
 * db.selectFrom('profiles as p').where(segmentWhere('sqlite', ws, planSegment(def, now)))
 */
export function segmentWhere(dialect: Dialect, ws: string, plan: Plan): RawBuilder<SqlBool> {
  switch (plan.kind) {
    case 'all':
    case 'any':
      return sql<SqlBool>`(${sql.join(plan.of.map((p) => segmentWhere(dialect, ws, p)), plan.kind === 'all' ? sql` and ` : sql` or `)})`;
    case 'not':
      return sql<SqlBool>`not ${segmentWhere(dialect, ws, plan.of)}`;
    case 'status':
      return sql<SqlBool>`p.status in (${sql.join(plan.statuses)})`;
    case 'has':
      return sql<SqlBool>`p.id in (${holding(ws, plan.identifier)})`;
    case 'trait':
      return jsonPathTest(dialect, sql.ref('p.traits'), plan);
    case 'suppressed': {
      // No profile holds a push token yet: nobody is suppressed there.
      if (!plan.address) return plan.is ? FALSE : TRUE;
      const suppressed = sql`select i.profile_id from identities i
        join suppressions s on s.workspace_id = i.workspace_id and s.address = i.value and s.channel = ${plan.channel}
        where i.workspace_id = ${ws} and i.kind = ${plan.address} and i.replaced_at is null`;
      return plan.is ? sql<SqlBool>`p.id in (${suppressed})` : sql<SqlBool>`p.id not in (${suppressed})`;
    }
    case 'event':
      return sql<SqlBool>`p.id in (${doers(dialect, ws, plan)})`;
  }
}
