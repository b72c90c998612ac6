import { describe, expect, it } from 'vitest';
import { attempt, guard } from './guard.js';

describe('guard', () => {
  it('logs a throw and returns undefined', () => {
    const logs: unknown[] = [];
    const fn = guard(
      (e) => void logs.push(e),
      () => {
        throw new Error('boom');
      },
    );
    expect(fn()).toBeUndefined();
    expect(logs).toEqual([new Error('boom')]);
  });

  it('turns a rejection into a logged, resolved undefined', async () => {
    const logs: unknown[] = [];
    const fn = guard(
      (e) => void logs.push(e),
      async () => Promise.reject(new Error('late')),
    );
    await expect(fn()).resolves.toBeUndefined();
    expect(logs).toEqual([new Error('late')]);
  });

  it('passes results through', async () => {
    expect(
      guard(
        () => {},
        (a: number) => a + 1,
      )(1),
    ).toBe(2);
    await expect(
      guard(
        () => {},
        async () => 'ok',
      )(),
    ).resolves.toBe('ok');
  });
});

describe('attempt', () => {
  it('turns a synchronous throw into a rejection', async () => {
    await expect(
      attempt(() => {
        throw new ReferenceError('indexedDB is not defined');
      }),
    ).rejects.toThrow('indexedDB');
  });
});
