import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../db/schema.js';
import { DEVICE_PLATFORMS } from '../domain/channels.js';
import type { Plan } from '../domain/segments/plan.js';
import { jsonPathTest } from './json-path-sql.js';
import { pushableProfiles } from './pushable-sql.js';

type Sql = RawBuilder<unknown>;

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

/** `and <column> in (…)` when the query is scoped to some profiles, nothing otherwise. */
const within = (column: string, scope: readonly string[] | undefined) =>
  scope ? sql` and ${sql.ref(column)} in (${scope.length ? sql.join(scope) : sql`null`})` : sql``;

/** Profiles holding a current (not replaced) identifier of `kind`. */
const holding = (ws: string, kind: string, scope?: readonly string[]) =>
  sql`select distinct profile_id from identities where workspace_id = ${ws} and kind = ${kind} and replaced_at is null${within('profile_id', scope)}`;

/** Profiles whose current address on the channel's kind is suppressed on that channel (SPEC §4: opt-outs are per channel and address). */
const suppressedOn = (ws: string, channel: string, kind: string, scope?: readonly string[]) =>
  sql`select distinct i.profile_id from suppressions s
    cross join identities i
    where s.workspace_id = ${ws} and s.channel = ${channel}
      and i.workspace_id = s.workspace_id and i.kind = ${kind} and i.value = s.address and i.replaced_at is null${within('i.profile_id', scope)}`;

/** The filters on `e` (joined to its identity `i`) that make an event count for an event condition. */
export function eventFilters(dialect: Dialect, ws: string, plan: Extract<Plan, { kind: 'event' }>) {
  return [
    sql`e.workspace_id = ${ws}`,
    sql`e.event = ${plan.name}`,
    ...(plan.since === null ? [] : [sql`e.timestamp >= ${plan.since}`]),
    ...plan.where.map((w) => jsonPathTest(dialect, sql.ref('e.properties'), w)),
    sql`i.workspace_id = e.workspace_id and i.kind = e.source_kind and i.value = e.source_value`,
  ];
}

/** Profiles holding a device of the push channel's platforms whose token is suppressed there. */
const deviceSuppressedOn = (ws: string, channel: 'push' | 'webpush', scope?: readonly string[]) =>
  sql`select distinct i.profile_id from suppressions s
    cross join devices d
    cross join identities i
    where s.workspace_id = ${ws} and s.channel = ${channel}
      and d.workspace_id = s.workspace_id and d.token = s.address and d.platform in (${sql.join(DEVICE_PLATFORMS[channel])})
      and i.workspace_id = d.workspace_id and i.kind = d.source_kind and i.value = d.source_value${within('i.profile_id', scope)}`;

/**
 * Profiles with at least `atLeast` matching events. Events hang on
 * identities, so the join through `identities` counts a merged profile's
 * whole history for its survivor without any event being rewritten.
 * `cross join` pins the order on SQLite (events of that name in the window
 * first, through events_name_time, then one key lookup each); PostgreSQL
 * plans it as any inner join.
 */
function doers(dialect: Dialect, ws: string, plan: Extract<Plan, { kind: 'event' }>, scope?: readonly string[]) {
  const filters = sql.join(eventFilters(dialect, ws, plan), sql` and `);
  const having = plan.atLeast > 1 ? sql` having count(*) >= ${plan.atLeast}` : sql``;
  // Scoped to a few profiles (an audience pass), their identities come first
  // and their events are found through events_source: the cost is theirs, not the workspace's.
  if (scope)
    return sql`select i.profile_id from identities i cross join events e where i.workspace_id = ${ws}${within('i.profile_id', scope)} and ${filters} group by i.profile_id${having}`;
  return sql`select i.profile_id from events e cross join identities i where ${filters} group by i.profile_id${having}`;
}

/** The segment's profiles as a source: `profiles p` plus one left-joined set per condition that needs another table. */
export interface SegmentSql {
  from: Sql;
  where: RawBuilder<SqlBool>;
  /** Scoped only: the sets as `with … as materialized`, and what the status test reads. */
  with?: Sql;
  status?: Sql;
}

/**
 * A segment plan as SQL over the profile row aliased `p` (SPEC §5).
 * Conditions on the profile row (status, traits) are plain predicates;
 * each condition on another table (identifiers, suppressions, events) is a
 * set of profile IDs computed once and left-joined on `p.id`, so the
 * boolean tree only tests `sN.profile_id is [not] null`. Every set is a
 * hash or index join on both stores: the cost grows with the rows a
 * condition touches, never with profiles × conditions, and `or`/`not`
 * cost no more than `and`.
 *
 * `scope` limits every set to the given profiles (an audience pass
 * re-checking the profiles that changed).
 *
 * @example
 * const { from, where } = segmentSql('sqlite', ws, planSegment(definition, now));
 */
export function segmentSql(dialect: Dialect, ws: string, plan: Plan, scope?: readonly string[]): SegmentSql {
  const joins: Sql[] = [];
  const ctes: Sql[] = [];
  // Scoped, each set is small and computed once (materialized): a planner
  // that misjudges a set as one row may then loop over it, never re-run it.
  const joined = (set: Sql) => {
    const alias = sql.raw(`s${joins.length}`);
    if (scope) ctes.push(sql`${alias} as materialized (${set})`);
    joins.push(
      scope ? sql`left join ${alias} on ${alias}.profile_id = p.id` : sql`left join (${set}) ${alias} on ${alias}.profile_id = p.id`,
    );
    return sql<SqlBool>`${alias}.profile_id is not null`;
  };
  const walk = (node: Plan): RawBuilder<SqlBool> => {
    switch (node.kind) {
      case 'all':
      case 'any':
        return sql<SqlBool>`(${sql.join(node.of.map(walk), node.kind === 'all' ? sql` and ` : sql` or `)})`;
      case 'not':
        return sql<SqlBool>`not (${walk(node.of)})`;
      case 'status':
        return sql<SqlBool>`p.status in (${sql.join(node.statuses)})`;
      case 'has':
        return joined(holding(ws, node.identifier, scope));
      case 'trait':
        return jsonPathTest(dialect, sql.ref('p.traits'), node);
      case 'suppressed': {
        if (!node.address) {
          const test = joined(deviceSuppressedOn(ws, node.channel as 'push' | 'webpush', scope));
          return node.is ? test : sql<SqlBool>`not (${test})`;
        }
        const test = joined(suppressedOn(ws, node.channel, node.address, scope));
        return node.is ? test : sql<SqlBool>`not (${test})`;
      }
      case 'pushable':
        return joined(sql`select profile_id from (${pushableProfiles(ws, node.channel)}) d where 1 = 1${within('profile_id', scope)}`);
      case 'event':
        return joined(doers(dialect, ws, node, scope));
    }
  };
  const test = walk(plan);
  const from = joins.length ? sql`profiles p ${sql.join(joins, sql` `)}` : sql`profiles p`;
  if (!scope) return { from, where: test };
  return {
    from,
    where: test,
    with: ctes.length ? sql`with ${sql.join(ctes, sql`, `)} ` : sql``,
    // Found by key: on SQLite (which has no statistics unless analyzed) a
    // plain status test makes it scan the status index for every live profile.
    status: dialect === 'sqlite' ? sql`p.status || ''` : sql`p.status`,
  };
}

/** The live profiles of a segment as rows `(id, status)`: merged and deleted tombstones never count. */
export const segmentMembers = (ws: string, s: SegmentSql, scope?: readonly string[]): Sql =>
  sql`${s.with ?? sql``}select p.id, p.status from ${s.from} where p.workspace_id = ${ws}${within('p.id', scope)} and ${s.status ?? sql`p.status`} in ('anonymous', 'addressable', 'identified') and ${s.where}`;
