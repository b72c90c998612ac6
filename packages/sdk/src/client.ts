import type { JsonObject, Message } from '@threadline/protocol';
import { removeAnonymousIdCookie } from './core/anonymous-id.js';
import { pageDefaults, buildContext } from './core/context.js';
import { cookieTarget } from './core/cookie-target.js';
import { forgetFirstPartyId, recallAnonymousId, sameOrigin } from './core/first-party-id.js';
import { buildMessage, stamp, type MessageBody } from './core/message.js';
import { uuid } from './core/uuid.js';
import { createVisitor, type Visitor } from './core/visitor.js';
import { browserLocks } from './queue/flush-lock.js';
import { createFlusher } from './queue/flusher.js';
import { DEFAULT_CAPS } from './queue/queue-caps.js';
import { createQueue } from './queue/queue.js';
import { browserCookieJar } from './storage/cookie-jar.js';
import { forgetKv, openKvStore } from './storage/kv-store.js';
import { postDevice } from './transport/devices.js';
import { byteLength, encodeBatch } from './transport/encode.js';
import { postBatch } from './transport/post-batch.js';
import type { CallListener, Client, ClientDeps, ClientOptions, ConsentState, IdentifyOptions, WindowLike } from './types.js';
import { guard } from './util/guard.js';
import { createLogger } from './util/logger.js';
import type { Timers } from './util/timeout.js';

/**
 * Creates a Threadline client (SPEC §7, §8, §9): the one place that wires the
 * visitor, the queue, the transport and plugins. Calls made before storage is
 * ready (or while consent is pending) wait, in order, with the time and page
 * of the moment they were made.
 * @example
 * const tl = createClient({ writeKey: 'wk_123', host: 'https://collect.example.com' });
 * tl.track('Product Viewed', { sku: 'A1' });
 */
export function createClient(options: ClientOptions, deps: ClientDeps = {}): Client {
  const win = deps.window ?? (globalThis as unknown as WindowLike);
  const now = deps.now ?? Date.now;
  const log = deps.log ?? createLogger(options.debug);
  const timers = deps.timers ?? (globalThis as Timers);
  const store = deps.store ?? openKvStore();
  const jar = deps.cookies ?? browserCookieJar();
  const newId = () => uuid(deps.crypto);
  const writeKey = String(options.writeKey);
  const host = String(options.host).replace(/\/+$/, '');
  const fetchFn = deps.fetch ?? ((u, init) => fetch(u, init));
  const firstParty = sameOrigin(host, win.location);
  const gpc = !!options.respectGpc && win.navigator?.globalPrivacyControl === true;
  let state: ConsentState = 'pending';
  let visitor: Visitor | undefined;
  let opened = false;
  let decide!: () => void;
  let grant!: () => void;
  const decided = new Promise<void>((r) => (decide = r)); // granted or denied: the public ready() may settle
  const granted = new Promise<void>((r) => (grant = r)); // plugins' ready() waits for this

  const queue = createQueue(store, log, timers);
  const send = (batch: Message[], keepalive?: boolean) =>
    postBatch(`${host}/v1/batch`, encodeBatch(batch, writeKey, new Date(now()).toISOString()), fetchFn, keepalive, now);
  const flusher = createFlusher({
    queue,
    send,
    keyBytes: byteLength(JSON.stringify(writeKey)),
    now,
    timers,
    log,
    caps: { ...DEFAULT_CAPS, ...options.queueCaps },
    random: deps.random ?? Math.random,
    locks: deps.locks === null ? undefined : (deps.locks ?? browserLocks()),
    delayMs: options.flushDelayMs ?? 150,
    active: () => state === 'granted',
  });

  const ops: (() => void)[] = [];
  const listeners: CallListener[] = [];
  const emit: CallListener = (...call) => listeners.forEach((listener) => guard(log, listener)(...call));
  const cookie = cookieTarget(win.location, jar, options.cookieDomain);
  const recall = firstParty ? () => recallAnonymousId(host, fetchFn) : undefined;

  // Runs waiting calls in order once consent is granted and storage is loaded; page hide (`force`)
  // runs them with the cookie's ID (or a new one on a first visit) rather than lose them.
  function drain(force = false) {
    const v = state === 'granted' ? visitor : undefined;
    if (force && v && ops.length) v.idNow();
    while (v && ops.length && (v.loaded() || (force && v.id()))) guard(log, ops.shift()!)();
  }
  function later(op: () => void) {
    if (state === 'denied') return;
    ops.push(op);
    drain();
  }
  // Fixes id, time and page at the call; builds the message once storage is loaded.
  function record(body: () => MessageBody, context = buildContext(win)) {
    const s = stamp(now(), context, newId);
    later(() => {
      const b = body(); // identify may rotate the anonymous ID: before the message is built
      queue.add(buildMessage(s, b, visitor!.id()!, visitor!.userId()), now());
      flusher.soon();
    });
  }
  // Denied (SPEC §7): calls and this page's unsent messages dropped; cookie, mirror, queue and the collector's cookie cleared.
  function forget() {
    ops.length = 0;
    const mine = queue.unacked();
    if (mine.length) queue.remove(mine);
    const wipe = () => {
      if (state !== 'denied') return; // granted again meanwhile
      removeAnonymousIdCookie(jar, win.location?.hostname ?? '');
      forgetKv(store, opened).catch(log);
    };
    wipe();
    visitor?.ready.then(wipe); // a load still running writes the cookie and mirror when it ends
    visitor = undefined;
    if (firstParty) forgetFirstPartyId(host, fetchFn);
  }

  const client: Client = {
    track(event, properties) {
      if (typeof event !== 'string' || !event) return log('track: no event name');
      record(() => ({ type: 'track', event, properties: (properties ?? {}) as JsonObject }));
      emit('track', event, properties);
    },
    page(name, properties) {
      if (name && typeof name === 'object') [name, properties] = [undefined, name];
      const defaults = pageDefaults(win);
      const props = { ...defaults, ...properties } as JsonObject;
      record(() => ({ type: 'page', name: name ? String(name) : undefined, properties: props }), buildContext(win, defaults));
      emit('page', name ? String(name) : undefined, props);
    },
    identify(a, b, c) {
      const traitsOnly = a !== null && typeof a === 'object';
      const userId = traitsOnly || a == null || a === '' ? undefined : String(a);
      const traits = ((traitsOnly ? a : b) ?? {}) as JsonObject;
      const integrity = ((traitsOnly ? b : c) as IdentifyOptions | undefined)?.integrity;
      record(() => (visitor!.observe(userId, traits), { type: 'identify', traits, integrity }));
      emit('identify', userId, traits);
    },
    alias(userId, previousId) {
      if (!userId) return log('alias: no userId');
      record(() => ({ type: 'alias', userId: String(userId), previousId: previousId ?? visitor!.id()! }));
    },
    reset: () => later(() => (visitor!.rotate(), emit('reset', undefined, undefined))),
    flush: () => (visitor && state === 'granted' ? visitor.ready.then(() => (drain(), flusher.flush(true))) : Promise.resolve(false)),
    anonymousId: () => visitor?.id(),
    ready: () => decided.then(() => visitor?.ready),
    consent(next) {
      if (next !== 'granted' && next !== 'denied' && next !== 'pending') return log('consent: unknown state', next);
      state = gpc ? 'denied' : next;
      if (state === 'pending') return;
      decide();
      if (state === 'denied') return forget();
      opened = true;
      visitor ??= createVisitor({ cookie, store, newId, timers, log, recall }, () => drain());
      grant();
      flusher.soon(); // what earlier pages left in the queue
    },
    registerDevice: (token, platform, subscription) =>
      new Promise((resolve) => {
        decided.then(() => state === 'denied' && resolve(false));
        later(() => {
          const body = { writeKey, anonymousId: visitor!.id(), userId: visitor!.userId(), token: String(token), platform, subscription };
          postDevice(`${host}/v1/devices`, body, fetchFn).then(resolve);
        });
      }),
  };
  const methods = client as unknown as Record<string, () => unknown>;
  for (const k in methods) methods[k] = guard(log, methods[k]!);

  const onHide = guard(log, () => (drain(true), flusher.hide()));
  win.addEventListener?.('pagehide', onHide);
  win.document?.addEventListener?.('visibilitychange', () => win.document.visibilityState === 'hidden' && onHide());
  client.consent(options.consent ?? 'granted');
  const api = {
    ...client,
    // Denied after the grant: never settles, so a plugin waiting to fetch or store does neither.
    ready: () => granted.then(() => visitor?.ready ?? new Promise<void>(() => {})),
    log,
    host,
    writeKey,
    onCall: (listener: CallListener) => void listeners.push(listener),
  };
  options.plugins?.forEach((plugin) => guard(log, plugin)(api));
  return client;
}
