/** Lists up to this long are written out as `array[$n, …]`; longer ones go as one array parameter. */
export const SHORT_ARRAY = 16;

export interface PgArrays {
  /** A `text[]` expression a column, for the statement's text. */
  arrays: string[];
  /** Their values, as the parameters from `from` on. */
  params: unknown[];
  /** What the text depends on (the list length when written out): for a text cache's key. */
  shape: string;
}

/**
 * Columns of values (each list as long as the first) as `text[]` expressions
 * of a PostgreSQL statement whose parameters go on from `$from`. A short list
 * is written out as `array[$n, …]`: the planner reads its length from the
 * text, so a prepared statement's generic plan costs what a custom one does
 * and is kept. An array parameter counts as 10 values to the planner, so a
 * prepared lookup of one or two values kept being planned anew (about 250 µs
 * each time, more than the lookup). A long list (an import chunk's) is one
 * parameter a column, so its text does not grow with it.
 *
 * @example
 * pgTextArrays(2, [['email'], ['ana@example.com']]); // → { arrays: ['array[$2]::text[]', 'array[$3]::text[]'], params: ['email', 'ana@example.com'], shape: '1' }
 */
export function pgTextArrays(from: number, columns: ReadonlyArray<readonly unknown[]>): PgArrays {
  const n = columns[0]?.length ?? 0;
  if (n > SHORT_ARRAY) return { arrays: columns.map((_, c) => `$${from + c}::text[]`), params: [...columns], shape: 'long' };
  let at = from;
  const arrays = columns.map(() => `array[${Array.from({ length: n }, () => `$${at++}`).join(', ')}]::text[]`);
  return { arrays, params: columns.flat(), shape: String(n) };
}
