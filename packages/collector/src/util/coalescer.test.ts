import { describe, expect, it } from 'vitest';
import { createCoalescer } from './coalescer.js';

/** A run the test finishes by hand: what it was given, and how to answer or fail it. */
interface HeldRun {
  key: string;
  items: string[];
  answer(): void;
  fail(err: Error): void;
}

/** A coalescer of strings whose runs wait for the test; each item's result is its upper case. */
function held(inFlight = 2, maxSize = 5) {
  const runs: HeldRun[] = [];
  const call = createCoalescer<string, string>({
    inFlight,
    maxSize,
    size: (item) => item.length,
    run: (key, items) =>
      new Promise((resolve, reject) => runs.push({ key, items, answer: () => resolve(items.map((i) => i.toUpperCase())), fail: reject })),
  });
  return { runs, call };
}

/** Lets settled promises' callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createCoalescer', () => {
  it('runs calls at once while runs are free, and gathers what arrives meanwhile into the next run', async () => {
    const { runs, call } = held();
    const answers = ['a', 'b', 'c', 'd', 'e'].map((item) => call('w', item));
    // Two run at once, alone; the other three wait for a free run.
    expect(runs.map((r) => r.items)).toEqual([['a'], ['b']]);
    runs[0]!.answer();
    await settle();
    expect(runs.map((r) => r.items)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    runs[1]!.answer();
    runs[2]!.answer();
    expect(await Promise.all(answers)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('gathers no more than maxSize a run, in the order the calls came, and runs a larger call alone', async () => {
    const { runs, call } = held(1, 5);
    const answers = ['x', 'aa', 'bb', 'c', 'dddddd', 'e'].map((item) => call('w', item));
    const order: string[][] = [];
    while (order.length < 4) {
      await settle();
      const next = runs[order.length]!;
      order.push(next.items);
      next.answer();
    }
    expect(order).toEqual([['x'], ['aa', 'bb', 'c'], ['dddddd'], ['e']]);
    expect(await Promise.all(answers)).toEqual(['X', 'AA', 'BB', 'C', 'DDDDDD', 'E']);
  });

  it('keeps keys apart: a busy key does not hold another back', async () => {
    const { runs, call } = held(1);
    void call('w1', 'a');
    void call('w1', 'b');
    const other = call('w2', 'c');
    expect(runs.map((r) => [r.key, r.items])).toEqual([
      ['w1', ['a']],
      ['w2', ['c']],
    ]);
    runs[1]!.answer();
    expect(await other).toBe('C');
  });

  it('runs each call of a failed gathered run again alone, so only the failing call fails', async () => {
    const { runs, call } = held(1);
    const first = call('w', 'a');
    const answers = ['b', 'bad', 'c'].map((item) => call('w', item).catch((err: Error) => `failed: ${err.message}`));
    runs[0]!.answer();
    await settle();
    expect(runs[1]!.items).toEqual(['b', 'bad', 'c']);
    runs[1]!.fail(new Error('the group'));
    // One after another, alone, within the same run.
    for (let i = 2; i < 5; i++) {
      await settle();
      expect(runs[i]!.items).toHaveLength(1);
      if (runs[i]!.items[0] === 'bad') runs[i]!.fail(new Error('bad alone'));
      else runs[i]!.answer();
    }
    expect(await first).toBe('A');
    expect(await Promise.all(answers)).toEqual(['B', 'failed: bad alone', 'C']);
    expect(runs).toHaveLength(5);
  });

  it('settles every call even when the run throws before it returns a promise', async () => {
    let release = () => {};
    const call = createCoalescer<string, string>({
      inFlight: 1,
      maxSize: 10,
      size: () => 1,
      run: (_key, items) => {
        if (items.includes('bad')) throw new Error('thrown at once');
        return items[0] === 'first' ? new Promise((resolve) => (release = () => resolve(items))) : Promise.resolve(items);
      },
    });
    const first = call('w', 'first');
    const answers = ['b', 'bad', 'c'].map((item) => call('w', item).catch((err: Error) => `failed: ${err.message}`));
    release();
    expect(await first).toBe('first');
    expect(await Promise.all(answers)).toEqual(['b', 'failed: thrown at once', 'c']);
  });

  it('fails a call that ran alone with its own error, and the key runs on afterwards', async () => {
    const { runs, call } = held(1);
    const failing = call('w', 'a').catch((err: Error) => err.message);
    runs[0]!.fail(new Error('no store'));
    expect(await failing).toBe('no store');
    const next = call('w', 'b');
    await settle();
    runs[1]!.answer();
    expect(await next).toBe('B');
  });
});
