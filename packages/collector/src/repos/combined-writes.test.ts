import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { combinedWrite } from './combined-writes.js';

const q = (sql: string, ...parameters: unknown[]) => CompiledQuery.raw(sql, parameters);

describe('combinedWrite', () => {
  it('numbers each part after the parts before it and passes every value in order', () => {
    const combined = combinedWrite([q('insert into a values ($1, $2)', 1, 2), q('update b set x = $1', 3)], q('select $1, $2', 4, 5));
    expect(combined.sql).toBe('with w1 as (insert into a values ($1, $2)), w2 as (update b set x = $3) select $4, $5');
    expect(combined.parameters).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers a repeated shape with the same text and the new values', () => {
    const shape = (v: number) => combinedWrite([q('insert into c values ($1)', v)], q('select $1, $2', v + 1, v + 2));
    const first = shape(10);
    const again = shape(20);
    expect(again.sql).toBe(first.sql);
    expect(again.sql).toBe('with w1 as (insert into c values ($1)) select $2, $3');
    expect(again.parameters).toEqual([20, 21, 22]);
  });

  it('numbers by the values a part carries, not by a kept shape of the same text with a different count', () => {
    const kept = combinedWrite([q('insert into d values ($1)', 1)], q('select $1', 2));
    expect(kept.sql).toBe('with w1 as (insert into d values ($1)) select $2');
    // The same first text with two values: the last part's parameters start at $3.
    const other = combinedWrite([q('insert into d values ($1)', 1, 9)], q('select $1', 2));
    expect(other.sql).toBe('with w1 as (insert into d values ($1)) select $3');
    expect(other.parameters).toEqual([1, 9, 2]);
  });

  it('is the last statement itself without writes', () => {
    const last = q('select 1');
    expect(combinedWrite([], last)).toBe(last);
  });
});
