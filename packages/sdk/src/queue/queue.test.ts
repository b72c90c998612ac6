import { get } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { fakeTimers, freshStore, settle, trackMessage } from '../test-support/fakes.js';
import { createQueue } from './queue.js';

const setup = (store = freshStore()) => {
  const logs: unknown[][] = [];
  const queue = createQueue(store, (...a) => void logs.push(a), fakeTimers());
  return { queue, store, logs };
};

describe('createQueue', () => {
  it('persists each message in IndexedDB, keyed by time and messageId', async () => {
    const { queue, store } = setup();
    queue.add(trackMessage('m1'), 5);
    await queue.list();
    expect(await get(['q', 5, 'm1'], store)).toMatchObject({ id: 'm1', t: 5, m: { messageId: 'm1' } });
  });

  it('lists oldest first, across pages sharing the store', async () => {
    const store = freshStore();
    const a = setup(store).queue;
    const b = setup(store).queue;
    a.add(trackMessage('late'), 20);
    b.add(trackMessage('early'), 10);
    await b.list();
    expect((await a.list()).map((e) => e.id)).toEqual(['early', 'late']);
  });

  it('records the JSON size in bytes', async () => {
    const { queue } = setup();
    const m = trackMessage('m1', { name: 'é' });
    queue.add(m, 1);
    expect((await queue.list())[0]!.n).toBe(new TextEncoder().encode(JSON.stringify(m)).length);
  });

  it('stores a copy, so later changes to the properties object do not leak in', async () => {
    const { queue } = setup();
    const props: Record<string, unknown> = { sku: 'A1' };
    queue.add(trackMessage('m1', props), 1);
    props.sku = 'B2';
    expect((await queue.list())[0]!.m).toMatchObject({ properties: { sku: 'A1' } });
  });

  it('removes acknowledged entries from storage and memory', async () => {
    const { queue } = setup();
    queue.add(trackMessage('m1'), 1);
    queue.add(trackMessage('m2'), 2);
    const [first] = await queue.list();
    queue.remove([first!]);
    expect((await queue.list()).map((e) => e.id)).toEqual(['m2']);
    expect(queue.unacked().map((e) => e.id)).toEqual(['m2']);
  });

  it("keeps the page's messages in memory for page hide, synchronously", () => {
    const { queue } = setup();
    queue.add(trackMessage('m1'), 1);
    expect(queue.unacked().map((e) => e.id)).toEqual(['m1']);
  });

  it("still lists the page's messages when IndexedDB is unavailable", async () => {
    const broken = (() => {
      throw new ReferenceError('indexedDB is not defined');
    }) as never;
    const { queue, logs } = setup(broken);
    queue.add(trackMessage('m1'), 1);
    expect((await queue.list()).map((e) => e.id)).toEqual(['m1']);
    await settle();
    expect(logs.length).toBeGreaterThan(0);
  });

  it('does not list a message another tab already acknowledged', async () => {
    const store = freshStore();
    const mine = setup(store).queue;
    const other = setup(store).queue;
    mine.add(trackMessage('m1'), 1);
    await mine.list();
    other.remove(await other.list());
    expect(await mine.list()).toEqual([]);
    expect(mine.unacked()).toEqual([]); // nor send it again on page hide
  });

  it('throws on a message that cannot be serialised, so the caller logs it', () => {
    const { queue } = setup();
    const props: Record<string, unknown> = {};
    props.self = props;
    expect(() => queue.add(trackMessage('m1', props), 1)).toThrow();
  });
});
