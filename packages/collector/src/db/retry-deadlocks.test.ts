import { describe, expect, it } from 'vitest';
import { retryDeadlocks } from './retry-deadlocks.js';

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('retryDeadlocks', () => {
  it('runs the work again when it was a deadlock victim, and answers its result', async () => {
    let runs = 0;
    const result = await retryDeadlocks(async () => {
      runs++;
      if (runs < 3) throw deadlock();
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(runs).toBe(3);
  });

  it('gives up after the attempts, throwing the deadlock', async () => {
    let runs = 0;
    await expect(
      retryDeadlocks(async () => {
        runs++;
        throw deadlock();
      }, 2),
    ).rejects.toThrow('deadlock detected');
    expect(runs).toBe(2);
  });

  it('never runs again after any other error', async () => {
    let runs = 0;
    await expect(
      retryDeadlocks(async () => {
        runs++;
        throw Object.assign(new Error('value too long'), { code: '22001' });
      }),
    ).rejects.toThrow('value too long');
    expect(runs).toBe(1);
  });
});
