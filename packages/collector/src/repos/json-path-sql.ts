import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { PathTest, Scalar } from '../domain/segments/plan.js';

type Expr = RawBuilder<unknown>;

/**
 * The JSON value at `path` inside a JSON column, typed the same way on both
 * stores: jsonb operators on PostgreSQL, the JSON1 functions on SQLite (where
 * the column is text). Names were checked to hold no quotes, so the quoted
 * SQLite path cannot be escaped out of.
 */
function at(dialect: Dialect, column: Expr, path: string[]) {
  if (dialect === 'postgres') {
    const value = sql`(${column} #> ${path}::text[])`;
    const type = sql`jsonb_typeof(${value})`;
    return {
      isString: sql<SqlBool>`${type} = 'string'`,
      isNumber: sql<SqlBool>`${type} = 'number'`,
      isBoolean: (b: boolean) => sql<SqlBool>`${value} = ${b ? sql`'true'::jsonb` : sql`'false'::jsonb`}`,
      exists: sql<SqlBool>`coalesce(${type}, 'null') <> 'null'`,
      text: sql`(${column} #>> ${path}::text[])`,
      // CASE keeps the cast away from values that are not numbers.
      number: sql`(case when ${type} = 'number' then (${column} #>> ${path}::text[])::numeric end)`,
      contains: (needle: string) => sql<SqlBool>`strpos(lower(${column} #>> ${path}::text[]), lower(${needle})) > 0`,
    };
  }
  const p = `$${path.map((k) => `."${k}"`).join('')}`;
  const type = sql`json_type(${column}, ${p})`;
  const value = sql`json_extract(${column}, ${p})`;
  return {
    isString: sql<SqlBool>`${type} = 'text'`,
    isNumber: sql<SqlBool>`${type} in ('integer', 'real')`,
    isBoolean: (b: boolean) => sql<SqlBool>`${type} = ${b ? 'true' : 'false'}`,
    exists: sql<SqlBool>`coalesce(${type}, 'null') <> 'null'`,
    text: value,
    number: value,
    contains: (needle: string) => sql<SqlBool>`instr(lower(${value}), lower(${needle})) > 0`,
  };
}

const OPS = { gt: sql.raw('>'), gte: sql.raw('>='), lt: sql.raw('<'), lte: sql.raw('<=') };

/**
 * A path test as a boolean that is never NULL (a missing value is simply
 * false), so `not` and `neq` include the profiles or events without it.
 * Values compare by JSON type: "5" never equals 5.
 */
export function jsonPathTest(dialect: Dialect, column: Expr, t: PathTest): RawBuilder<SqlBool> {
  const v = at(dialect, column, t.path);
  const equals = (x: Scalar) =>
    typeof x === 'boolean'
      ? v.isBoolean(x)
      : typeof x === 'number'
        ? sql`(${v.isNumber} and ${v.number} = ${x})`
        : sql`(${v.isString} and ${v.text} = ${x})`;
  let test: RawBuilder<unknown>;
  switch (t.test.op) {
    case 'in':
      test = sql.join(t.test.values.map(equals), sql` or `);
      break;
    case 'contains':
      test = sql`(${v.isString} and ${v.contains(t.test.value)})`;
      break;
    case 'exists':
      test = v.exists;
      break;
    default: {
      const op = OPS[t.test.op];
      test =
        typeof t.test.value === 'number'
          ? sql`(${v.isNumber} and ${v.number} ${op} ${t.test.value})`
          : sql`(${v.isString} and ${v.text} ${op} ${t.test.value})`;
    }
  }
  const safe = sql`coalesce((${test}), false)`;
  return t.negate ? sql<SqlBool>`not ${safe}` : sql<SqlBool>`${safe}`;
}
