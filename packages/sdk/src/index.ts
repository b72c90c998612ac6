export { createClient } from './client.js';
export { snippet } from './snippet.js';
export type {
  CallListener,
  Client,
  ClientDeps,
  ClientOptions,
  IdentifyOptions,
  Plugin,
  PluginApi,
  Properties,
  Traits,
  WindowLike,
} from './types.js';
export type { CookieJar, CookieAttributes } from './storage/cookie-jar.js';
export type { FetchLike } from './transport/fetch-like.js';
export type { LocksLike } from './queue/flush-lock.js';
export type { QueueCaps } from './queue/queue-caps.js';
export type { Timers } from './util/timeout.js';
export type { Log } from './util/logger.js';
export type { RandomSource } from './core/uuid.js';
