import { KEEPALIVE_BUDGET_BYTES, type Message } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../transport/encode.js';
import { postBatch } from '../transport/post-batch.js';
import { accepted, fakeFetch, fakeTimers, freshStore, settle, trackMessage, type FakeReply } from '../test-support/fakes.js';
import type { LocksLike } from './flush-lock.js';
import { createFlusher } from './flusher.js';
import { DEFAULT_CAPS } from './queue-caps.js';
import { createQueue } from './queue.js';

function setup(replies: FakeReply[] = [], overrides: { locks?: LocksLike; random?: () => number } = {}) {
  const timers = fakeTimers();
  const logs: unknown[][] = [];
  const log = (...a: unknown[]) => void logs.push(a);
  const fetch = fakeFetch(...replies);
  const queue = createQueue(freshStore(), log, timers);
  const send = (batch: Message[], keepalive?: boolean) =>
    postBatch('https://c.example/v1/batch', encodeBatch(batch, 'wk', new Date(timers.now()).toISOString()), fetch, keepalive, timers.now);
  const flusher = createFlusher({
    queue,
    send,
    log,
    timers,
    now: timers.now,
    keyBytes: 4,
    caps: DEFAULT_CAPS,
    random: overrides.random ?? (() => 0.5),
    locks: overrides.locks,
    delayMs: 150,
  });
  const add = (...ids: string[]) => ids.forEach((id) => queue.add(trackMessage(id), timers.now()));
  const remaining = async () => (await queue.list()).map((e) => e.id);
  return { flusher, queue, fetch, timers, logs, add, remaining };
}

const status = (s: number, headers?: Record<string, string>) => new Response(null, { status: s, headers });

describe('createFlusher', () => {
  it('sends the queue and removes what the collector acknowledged', async () => {
    const t = setup();
    t.add('m1', 'm2');
    expect(await t.flusher.flush(true)).toBe(true);
    expect(t.fetch.sent().map((m) => m.messageId)).toEqual(['m1', 'm2']);
    expect(await t.remaining()).toEqual([]);
  });

  it('drops rejected messages with their reason and never retries them', async () => {
    const t = setup([accepted([{ index: 1, messageId: 'm2', field: 'batch.1.event', reason: 'must not be empty' }])]);
    t.add('m1', 'm2');
    expect(await t.flusher.flush(true)).toBe(true);
    expect(await t.remaining()).toEqual([]);
    expect(t.logs).toContainEqual(['drop', 'm2', 'batch.1.event', 'must not be empty']);
    expect(t.fetch.calls).toHaveLength(1);
  });

  it('sends in batches of at most 100 messages', async () => {
    const t = setup();
    t.add(...Array.from({ length: 250 }, (_, i) => `m${i}`));
    await t.flusher.flush(true);
    expect(t.fetch.calls.map((c) => c.body.batch.length)).toEqual([100, 100, 50]);
  });

  it('splits a batch answered 413 and sends the halves', async () => {
    const t = setup([status(413), accepted(), accepted()]);
    t.add('m1', 'm2', 'm3', 'm4');
    expect(await t.flusher.flush(true)).toBe(true);
    expect(t.fetch.calls.map((c) => c.body.batch.map((m) => m.messageId))).toEqual([
      ['m1', 'm2', 'm3', 'm4'],
      ['m1', 'm2'],
      ['m3', 'm4'],
    ]);
    expect(await t.remaining()).toEqual([]);
  });

  it('drops a single message that is still too large, with a reason', async () => {
    const t = setup([status(413), status(413), accepted()]);
    t.add('big', 'ok');
    expect(await t.flusher.flush(true)).toBe(true);
    expect(t.logs).toContainEqual(['drop', 'big', 'too large']);
    expect(t.fetch.sent().filter((m) => m.messageId === 'ok')).toHaveLength(2);
    expect(await t.remaining()).toEqual([]);
  });

  it('drops a batch answered 400 with the reason', async () => {
    const t = setup([status(400)]);
    t.add('m1');
    expect(await t.flusher.flush(true)).toBe(true);
    expect(t.logs).toContainEqual(['drop', ['m1'], 'HTTP 400']);
    expect(await t.remaining()).toEqual([]);
  });

  it('stops sending on 401 and keeps the queue', async () => {
    const t = setup([status(401)]);
    t.add('m1');
    expect(await t.flusher.flush(true)).toBe(false);
    t.add('m2');
    expect(await t.flusher.flush(true)).toBe(false);
    expect(t.fetch.calls).toHaveLength(1);
    expect(await t.remaining()).toEqual(['m1', 'm2']);
    expect(t.logs).toContainEqual(['stop', 'HTTP 401']);
    expect(t.timers.pending.size).toBe(0);
  });

  it('retries a 5xx after an exponential backoff with jitter', async () => {
    const t = setup([status(503), status(503), accepted()], { random: () => 0.5 });
    t.add('m1');
    expect(await t.flusher.flush(true)).toBe(false);
    expect(t.timers.delays()).toEqual([500]); // 0.5 × 1 s
    expect(await t.flusher.flush(true)).toBe(false); // still waiting: nothing sent
    expect(t.fetch.calls).toHaveLength(1);
    t.timers.advance(500);
    await settle();
    expect(t.fetch.calls).toHaveLength(2);
    expect(t.timers.delays()).toEqual([1000]); // 0.5 × 2 s
    t.timers.advance(1000);
    await settle();
    expect(await t.remaining()).toEqual([]);
  });

  it('retries after a network error and keeps the message meanwhile', async () => {
    const t = setup([new TypeError('Failed to fetch'), accepted()]);
    t.add('m1');
    expect(await t.flusher.flush(true)).toBe(false);
    expect(await t.remaining()).toEqual(['m1']);
    t.timers.advance(60_000);
    await settle();
    expect(await t.remaining()).toEqual([]);
  });

  it('waits as long as a 429 Retry-After says', async () => {
    const t = setup([status(429, { 'Retry-After': '30' }), accepted()]);
    t.add('m1');
    await t.flusher.flush(true);
    expect(t.timers.delays()).toEqual([30_000]);
    t.timers.advance(29_000);
    expect(await t.flusher.flush(true)).toBe(false);
    expect(t.fetch.calls).toHaveLength(1);
    t.timers.advance(1_000);
    await settle();
    expect(t.fetch.calls).toHaveLength(2);
  });

  it('schedules a flush shortly after an enqueue, without postponing it on every call', async () => {
    const t = setup();
    t.flusher.soon();
    t.timers.advance(100);
    t.flusher.soon();
    expect(t.timers.pending.size).toBe(1);
    t.add('m1');
    t.timers.advance(50);
    await settle();
    expect(t.fetch.calls).toHaveLength(1);
  });

  it('leaves the flush to the tab holding the Web Lock and looks again later', async () => {
    const busy: LocksLike = { request: (_name, options, cb) => (options.ifAvailable ? cb(null) : cb({})) };
    const t = setup([], { locks: busy });
    t.add('m1');
    expect(await t.flusher.flush(false)).toBe(false);
    expect(t.fetch.calls).toHaveLength(0);
    expect(t.timers.delays()).toEqual([10_000]);
    expect(await t.flusher.flush(true)).toBe(true); // an explicit flush waits for the lock
  });

  it('asks for the versioned lock name', async () => {
    const names: string[] = [];
    const t = setup([], { locks: { request: (name, _o, cb) => (names.push(name), cb({})) } });
    await t.flusher.flush(true);
    expect(names).toEqual(['threadline-v1-flush']);
  });

  it('drops the oldest messages over the cap with a reason', async () => {
    const t = setup();
    t.add('old');
    t.timers.advance(8 * 864e5);
    t.add('new');
    await t.flusher.flush(true);
    expect(t.fetch.sent().map((m) => m.messageId)).toEqual(['new']);
    expect(t.logs).toContainEqual(['drop', 'old', 'too old']);
  });

  describe('hide', () => {
    it("sends the page's unacknowledged messages with keepalive, synchronously", () => {
      const t = setup();
      t.add('m1', 'm2');
      t.flusher.hide();
      expect(t.fetch.calls).toHaveLength(1);
      expect(t.fetch.calls[0]!.init.keepalive).toBe(true);
      expect(t.fetch.sent().map((m) => m.messageId)).toEqual(['m1', 'm2']);
    });

    it('stays within the 64 KiB keepalive budget, counting requests still in flight', () => {
      const t = setup([() => new Promise<never>(() => {}) as never]);
      const big = { blob: 'x'.repeat(20_000) };
      ['a', 'b', 'c', 'd'].forEach((id) => t.queue.add(trackMessage(id, big), 0));
      t.flusher.hide();
      const firstBytes = (t.fetch.calls[0]!.init.body as string).length;
      expect(t.fetch.sent().map((m) => m.messageId)).toEqual(['a', 'b', 'c']);
      expect(firstBytes).toBeLessThanOrEqual(KEEPALIVE_BUDGET_BYTES);
      t.flusher.hide(); // the first request has not finished: no budget left for d
      expect(t.fetch.calls).toHaveLength(1);
    });

    it('removes what the collector acknowledged, keeps the rest for the next page', async () => {
      const t = setup([accepted()]);
      t.add('m1');
      t.flusher.hide();
      await settle();
      expect(await t.remaining()).toEqual([]);
      const u = setup([status(503)]);
      u.add('m1');
      u.flusher.hide();
      await settle();
      expect(await u.remaining()).toEqual(['m1']);
    });

    it('sends nothing after a 401', async () => {
      const t = setup([status(401)]);
      t.add('m1');
      await t.flusher.flush(true);
      t.flusher.hide();
      expect(t.fetch.calls).toHaveLength(1);
    });
  });
});
