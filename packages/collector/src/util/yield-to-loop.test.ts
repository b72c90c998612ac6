import { describe, expect, it } from 'vitest';
import { createPause, inSlices } from './yield-to-loop.js';

describe('createPause', () => {
  it('lets a waiting macrotask run once its slice is used up, and not before', async () => {
    let clock = 0;
    const pause = createPause(10, () => clock);
    const order: string[] = [];
    setImmediate(() => order.push('other request'));
    clock = 5;
    await pause();
    order.push('unit 1');
    clock = 10;
    await pause();
    order.push('unit 2');
    expect(order).toEqual(['unit 1', 'other request', 'unit 2']);
  });
});

describe('inSlices', () => {
  it('runs the slices in order, pausing before each, and answers their results in order', async () => {
    const seen: string[] = [];
    const pause = async () => void seen.push('pause');
    const out = await inSlices([1, 2, 3, 4, 5], 2, pause, async (slice) => {
      seen.push(slice.join(','));
      return slice.length;
    });
    expect(out).toEqual([2, 2, 1]);
    expect(seen).toEqual(['pause', '1,2', 'pause', '3,4', 'pause', '5']);
  });
});
