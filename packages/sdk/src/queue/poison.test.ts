import type { Message } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { entry, fakeFetch, fakeTimers, freshStore, settle, trackMessage } from '../test-support/fakes.js';
import { encodeBatch } from '../transport/encode.js';
import { postBatch } from '../transport/post-batch.js';
import { createFlusher } from './flusher.js';
import { createStrikes, POISON_STRIKES } from './poison.js';
import { DEFAULT_CAPS } from './queue-caps.js';
import { createQueue } from './queue.js';

const json = (status: number, body: unknown = {}) => new Response(JSON.stringify(body), { status });
const ok = () => json(200, { success: true, accepted: 1, duplicates: 0, rejected: [] });

/** A flusher whose collector answers `failing(ids)` for requests carrying one of `bad`, 200 otherwise. */
function setup(bad: string[], failing = 500) {
  const timers = fakeTimers();
  const logs: unknown[][] = [];
  const log = (...a: unknown[]) => void logs.push(a);
  const fetch = fakeFetch((body) => (body.batch.some((m) => bad.includes(m.messageId)) ? json(failing) : ok()));
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
    random: () => 0.5,
    locks: undefined,
    delayMs: 150,
  });
  const add = (...ids: string[]) => ids.forEach((id) => queue.add(trackMessage(id), timers.now()));
  const remaining = async () => (await queue.list()).map((e) => e.id);
  /** Lets retries run for `rounds` backoffs (each at most the 60 s cap). */
  const retry = async (rounds: number) => {
    await flusher.flush(true);
    for (let i = 0; i < rounds && (await remaining()).length; i++) {
      timers.advance(60_000);
      await settle();
    }
  };
  /** Message ids of the requests the collector answered 200, in order. */
  const delivered = () => fetch.calls.filter((c) => !c.body.batch.some((m) => bad.includes(m.messageId))).flatMap((c) => c.body.batch);
  return { fetch, logs, add, remaining, retry, delivered };
}

describe('poison messages', () => {
  it('isolates a message the collector fails on every time, drops it with a reason and delivers the rest', async () => {
    const t = setup(['m37']);
    t.add(...Array.from({ length: 100 }, (_, i) => `m${i}`));
    await t.retry(40);
    expect(await t.remaining()).toEqual([]);
    expect(t.logs).toContainEqual(['drop', 'm37', `server error ${POISON_STRIKES} times while others were accepted`]);
    const ids = t.delivered().map((m) => m.messageId);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: 100 }, (_, i) => `m${i}`).filter((id) => id !== 'm37')));
    // Bisection, not one request per message: 99 good messages in far fewer requests.
    expect(t.fetch.calls.length).toBeLessThan(30);
  });

  it('keeps sending new messages in full batches once the poison is gone', async () => {
    const t = setup(['p']);
    t.add('a', 'p', 'b');
    await t.retry(40);
    expect(await t.remaining()).toEqual([]);
    t.add(...Array.from({ length: 150 }, (_, i) => `n${i}`));
    await t.retry(5);
    expect(t.fetch.calls.slice(-2).map((c) => c.body.batch.length)).toEqual([100, 50]);
  });

  it('drops nothing during an outage: every request failing is not a poison message', async () => {
    const t = setup(['a', 'b', 'c']);
    t.add('a', 'b', 'c');
    await t.retry(30);
    expect(await t.remaining()).toEqual(['a', 'b', 'c']);
    expect(t.logs.filter((l) => l[0] === 'drop')).toEqual([]);
    expect(t.fetch.calls.length).toBeGreaterThan(20);
  });

  it.each([502, 503, 504])('never drops a message answered %i, which a proxy or an overload gives any payload', async (status) => {
    const t = setup(['p'], status);
    t.add('a', 'p', 'b');
    await t.retry(30);
    // Not a suspect answer: the batch is neither halved nor any message dropped.
    expect(await t.remaining()).toEqual(['a', 'p', 'b']);
    expect(t.fetch.calls.every((c) => c.body.batch.length === 3)).toBe(true);
    expect(t.logs.filter((l) => l[0] === 'drop')).toEqual([]);
  });
});

describe('createStrikes', () => {
  const batch = (...ids: string[]) => ids.map((id) => entry(id));

  it('waits on a first failure and halves a batch that fails again', () => {
    const s = createStrikes();
    s.sent();
    expect(s.fail(batch('a', 'b'))).toBeUndefined();
    s.sent();
    expect(s.fail(batch('a', 'b'))).toBe('split');
  });

  it('forgets the strikes of acknowledged messages', () => {
    const s = createStrikes();
    s.sent();
    s.fail(batch('a', 'b'));
    s.ack(batch('a', 'b'));
    s.sent();
    expect(s.fail(batch('a', 'b'))).toBeUndefined();
  });

  it(`drops a lone message after ${POISON_STRIKES} failures only when another request was acknowledged after its first`, () => {
    const s = createStrikes();
    const lone = batch('p');
    for (let i = 1; i < POISON_STRIKES; i++) {
      s.sent();
      expect(s.fail(lone)).toBeUndefined();
    }
    s.sent();
    expect(s.fail(lone), 'no acknowledgement since: an outage').toBeUndefined();
    s.sent();
    s.ack(batch('other'));
    s.sent();
    expect(s.fail(lone)).toBe('drop');
  });
});
