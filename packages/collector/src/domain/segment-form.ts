import { invalid } from './errors.js';

/** A submitted HTML form: one or several string values per field name. */
export type FormFields = Record<string, string | string[] | undefined>;

/** Event rows the builder offers; more conditions go in the JSON field. */
export const EVENT_ROWS = 2;

const one = (f: FormFields, name: string) => {
  const v = f[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
};
const many = (f: FormFields, name: string) => {
  const v = f[name];
  return (Array.isArray(v) ? v : v ? [v] : []).filter(Boolean);
};

/** A typed value from a text box: numbers and booleans as such, anything else as text (a form cannot say which). */
export function scalarOf(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function comparison<K extends 'trait' | 'property'>(key: K, name: string, op: string, value: string) {
  if (op === 'exists' || op === 'notExists') return { [key]: name, op };
  return { [key]: name, op, value: op === 'contains' ? value : scalarOf(value) };
}

function eventRow(f: FormFields, i: number): object | undefined {
  const event = one(f, `ev${i}Name`);
  if (!event) return undefined;
  const prop = one(f, `ev${i}Prop`);
  const atLeast = one(f, `ev${i}AtLeast`);
  const within = one(f, `ev${i}Within`);
  const condition = {
    event,
    ...(prop ? { where: [comparison('property', prop, one(f, `ev${i}PropOp`) || 'eq', one(f, `ev${i}PropValue`))] } : {}),
    ...(atLeast ? { atLeast: Number(atLeast) } : {}),
    ...(within ? { within: { [one(f, `ev${i}Unit`) || 'days']: Number(within) } } : {}),
  };
  return one(f, `ev${i}Mode`) === 'didNot' ? { not: condition } : condition;
}

/**
 * The segment definition (SPEC §5) a console builder form describes: the
 * fields it offers joined with all/any, optionally negated as a whole; a
 * non-empty JSON field stands for the whole definition instead. The result is
 * validated by the same parseDefinition as the admin API's.
 *
 * @example
 * definitionFromForm({ combine: 'all', ev0Name: 'Product Added', ev0Within: '1' })
 */
export function definitionFromForm(f: FormFields): unknown {
  const json = one(f, 'json');
  if (json) {
    try {
      return JSON.parse(json);
    } catch {
      throw invalid('json', 'is not valid JSON');
    }
  }
  const conditions: object[] = [];
  const status = many(f, 'status');
  if (status.length) conditions.push({ status });
  if (one(f, 'has')) conditions.push({ has: one(f, 'has') });
  if (one(f, 'trait')) conditions.push(comparison('trait', one(f, 'trait'), one(f, 'traitOp') || 'eq', one(f, 'traitValue')));
  if (one(f, 'suppressed')) conditions.push({ suppressed: one(f, 'suppressed'), is: one(f, 'suppressedIs') !== 'false' });
  for (let i = 0; i < EVENT_ROWS; i++) {
    const row = eventRow(f, i);
    if (row) conditions.push(row);
  }
  if (!conditions.length) throw invalid('definition', 'add at least one condition');
  const group = { [one(f, 'combine') === 'any' ? 'any' : 'all']: conditions };
  return one(f, 'negate') ? { not: group } : group;
}
