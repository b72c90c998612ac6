/** Values a single `in (…)` list carries: far inside SQLite's and PostgreSQL's parameter limits. */
export const IN_LIST_MAX = 1000;

/** Splits a list into runs of at most `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
