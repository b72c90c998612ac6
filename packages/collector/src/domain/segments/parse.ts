import * as v from 'valibot';
import { invalid } from '../errors.js';
import { isJsonObject } from '../json-object.js';
import { storableOrThrow } from '../storable-json.js';
import { LEAF_SCHEMAS, MAX_CONDITIONS, MAX_DEPTH, type Condition } from './schema.js';

const GROUPS = ['all', 'any'] as const;
const KINDS = [...GROUPS, 'not', ...Object.keys(LEAF_SCHEMAS)];

/** The first valibot issue as a field path below `at` (`definition.all.2.within.days`) and a message a person can act on. */
function issueError(at: string, issue: v.BaseIssue<unknown>) {
  const keys = issue.path?.map((p) => String(p.key)) ?? [];
  const field = [at, ...keys].join('.');
  // valibot words a missing or unknown key as a type mismatch; say what it means.
  if (issue.kind === 'schema' && issue.expected === 'never') return invalid(field, 'is not a field of this condition');
  if (issue.kind === 'schema' && issue.received === 'undefined') return invalid(field, 'is required');
  return invalid(field, issue.message);
}

/**
 * Checks a segment definition and answers it typed (SPEC §5). Every error
 * names the path at fault below `field`, so a client can point at the exact
 * condition; groups nest at most 5 deep and hold at most 50 conditions in all.
 *
 * @example
 * parseDefinition({ all: [{ has: 'email' }, { event: 'Order Completed', within: { days: 30 } }] });
 */
export function parseDefinition(input: unknown, field = 'definition'): Condition {
  let conditions = 0;

  const walk = (node: unknown, at: string, depth: number): Condition => {
    if (!isJsonObject(node)) throw invalid(at, 'must be a condition object');
    const kind = KINDS.find((k) => k in node);
    if (!kind) throw invalid(at, `must be a condition: an object with one of ${KINDS.join(', ')}`);
    const extra = Object.keys(node).find((k) => KINDS.includes(k) && k !== kind && !(kind === 'suppressed' && k === 'is'));
    if (extra) throw invalid(`${at}.${extra}`, `a condition is either "${kind}" or "${extra}", not both`);

    if (kind === 'all' || kind === 'any' || kind === 'not') {
      if (depth >= MAX_DEPTH) throw invalid(at, `groups nest at most ${MAX_DEPTH} deep`);
      const other = Object.keys(node).find((k) => k !== kind);
      if (other) throw invalid(`${at}.${other}`, `is not allowed beside "${kind}"`);
      if (kind === 'not') return { not: walk(node.not, `${at}.not`, depth + 1) };
      const list = node[kind];
      if (!Array.isArray(list) || list.length === 0) throw invalid(`${at}.${kind}`, 'must be a non-empty list of conditions');
      const of = list.map((child, i) => walk(child, `${at}.${kind}.${i}`, depth + 1));
      return kind === 'all' ? { all: of } : { any: of };
    }

    if (++conditions > MAX_CONDITIONS) throw invalid(at, `a segment holds at most ${MAX_CONDITIONS} conditions`);
    const parsed = v.safeParse(LEAF_SCHEMAS[kind as keyof typeof LEAF_SCHEMAS], node);
    if (!parsed.success) {
      throw issueError(at, parsed.issues[0]);
    }
    return parsed.output as Condition;
  };

  // A NUL cannot be compared in PostgreSQL SQL: refused here, naming its path, on both stores.
  return walk(storableOrThrow(input, field), field, 0);
}
