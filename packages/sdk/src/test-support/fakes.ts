// Test doubles passed in as dependencies (HOUSE-STYLE: deterministic by injection, no mocking framework).
import 'fake-indexeddb/auto';
import type { BatchRequest } from '@threadline/protocol';
import type { CookieAttributes, CookieJar } from '../storage/cookie-jar.js';
import { openKvStore } from '../storage/kv-store.js';
import type { ClientDeps, WindowLike } from '../types.js';

/** A cookie jar that refuses what a browser refuses: public suffixes and domains the host is not under. */
export function fakeCookieJar(host = 'shop.example.com', publicSuffixes = ['com', 'co.uk', 'uk']) {
  const cookies = new Map<string, { value: string } & CookieAttributes>();
  const writes: { name: string; value: string; attributes: CookieAttributes }[] = [];
  const jar: CookieJar = {
    get: (name) => cookies.get(name)?.value,
    set(name, value, attributes = {}) {
      writes.push({ name, value, attributes });
      const d = attributes.domain;
      if (d && (publicSuffixes.includes(d) || !(host === d || host.endsWith(`.${d}`)))) return;
      if (attributes.expires !== undefined && attributes.expires < 0) cookies.delete(name);
      else cookies.set(name, { value, ...attributes });
    },
    remove: (name) => void cookies.delete(name),
  };
  return Object.assign(jar, { cookies, writes });
}

/** Timers that only fire when the test advances the clock. */
export function fakeTimers(start = Date.parse('2025-03-01T10:00:00.000Z')) {
  let time = start;
  let next = 0;
  const pending = new Map<number, { at: number; fn: () => void; ms: number }>();
  return {
    pending,
    now: () => time,
    setTimeout: (fn: () => void, ms: number) => (pending.set(++next, { at: time + ms, fn, ms }), next),
    clearTimeout: (id: unknown) => void pending.delete(id as number),
    /** Delays of the timers still waiting, in ms from when they were set. */
    delays: () => [...pending.values()].map((p) => p.ms),
    /** Moves the clock and runs the timers that came due. */
    advance(ms: number) {
      time += ms;
      for (const [id, p] of [...pending]) {
        if (p.at <= time) {
          pending.delete(id);
          p.fn();
        }
      }
    },
  };
}

export type FakeReply = Response | Error | ((body: BatchRequest) => Response);

/** A 200 as the collector answers it. */
export const accepted = (rejected: unknown[] = []) =>
  new Response(JSON.stringify({ success: true, accepted: 1, duplicates: 0, rejected }), { status: 200 });

/** Records every request; answers with the replies in order, the last one repeating (default 200). */
export function fakeFetch(...replies: FakeReply[]) {
  const calls: { url: string; init: RequestInit; body: BatchRequest }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string) as BatchRequest;
    calls.push({ url, init, body });
    const reply = (replies.length > 1 ? replies.shift() : replies[0]) ?? accepted();
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply(body) : reply.clone();
  };
  return Object.assign(fetch, { calls, sent: () => calls.flatMap((c) => c.body.batch) });
}

/** A page with listeners the test can fire. */
export function fakeWindow(url = 'https://shop.example.com/shoes?utm_source=news&utm_campaign=spring#top') {
  const listeners: Record<string, (() => void)[]> = {};
  const on = (type: string, fn: () => void) => void (listeners[type] ??= []).push(fn);
  const location = new URL(url);
  const document = {
    title: 'Shoes',
    referrer: 'https://search.example/',
    visibilityState: 'visible' as DocumentVisibilityState,
    addEventListener: on,
    querySelector: () => null,
  };
  const win = { location, document, navigator: { language: 'en-GB', userAgent: 'TestAgent/1.0' }, addEventListener: on };
  const fire = (type: string) => listeners[type]?.forEach((fn) => fn());
  return Object.assign(win, { fire, listeners }) satisfies WindowLike;
}

let dbCount = 0;
/** A fresh IndexedDB database per test (fake-indexeddb), so tests share nothing. */
export const freshStore = () => openKvStore(`threadline-test-${++dbCount}`);

/** Every dependency of a client, faked; override any. */
export function testDeps<O extends ClientDeps = Record<never, never>>(overrides: O = {} as O) {
  const timers = fakeTimers();
  const logs: unknown[][] = [];
  const base = {
    window: fakeWindow(),
    cookies: fakeCookieJar(),
    timers,
    now: timers.now,
    store: freshStore(),
    fetch: fakeFetch(),
    log: (...args: unknown[]) => void logs.push(args),
    locks: null,
    random: () => 0.5,
  };
  return Object.assign({ ...base, ...overrides }, { logs, timers }) as Omit<typeof base, keyof O> &
    O & { logs: unknown[][]; timers: typeof timers };
}

/** Lets pending promise callbacks and fake-indexeddb's macrotasks run. */
export const settle = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A track message as the client builds it. */
export const trackMessage = (messageId: string, properties: Record<string, unknown> = {}) =>
  ({
    type: 'track',
    event: 'Product Viewed',
    properties,
    messageId,
    anonymousId: 'aid-1',
    timestamp: '2025-03-01T10:00:00.000Z',
    context: {},
  }) as import('@threadline/protocol').TrackMessage;

/** A queue entry of `n` bytes queued at `t`. */
export const entry = (id: string, t = 0, n = 100) => ({ id, t, n, m: trackMessage(id) });
