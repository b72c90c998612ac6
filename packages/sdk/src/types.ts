import type { UseStore } from 'idb-keyval';
import type { PageEnv } from './core/page-env.js';
import type { RandomSource } from './core/uuid.js';
import type { LocksLike } from './queue/flush-lock.js';
import type { QueueCaps } from './queue/queue-caps.js';
import type { DevicePlatform } from './transport/devices.js';
import type { CookieJar } from './storage/cookie-jar.js';
import type { FetchLike } from './transport/fetch-like.js';
import type { Log } from './util/logger.js';
import type { Timers } from './util/timeout.js';

/** Event properties or traits: any JSON-serialisable object (Dates become ISO strings). */
export type Properties = Record<string, unknown>;
export type Traits = Record<string, unknown>;

export interface IdentifyOptions {
  /** Hex HMAC-SHA256 of the identifier, made by the site's backend with the secret key (SPEC §2). */
  integrity?: string;
}

/** SPEC §7: `pending` keeps calls in memory and stores nothing; `granted` runs; `denied` drops calls and clears what was stored. */
export type ConsentState = 'pending' | 'granted' | 'denied';

/** The methods of SPEC §9, shared by `createClient()` and the `threadline` global. None of them throws. */
export interface Client {
  track(event: string, properties?: Properties): void;
  page(name?: string | Properties, properties?: Properties): void;
  /** `identify(userId, traits?, options?)`, or `identify(traits, options?)` for an email or phone without a userId. */
  identify(userId?: string | number | Traits | null, traits?: Traits | IdentifyOptions, options?: IdentifyOptions): void;
  alias(userId: string, previousId?: string): void;
  /** Logout: a new anonymous ID, and who identified here is forgotten. */
  reset(): void;
  /** Settles true when the queue is empty, false when a send failed or must wait; never rejects. */
  flush(): Promise<boolean>;
  /** The visitor's anonymous ID; undefined only before it is loaded. */
  anonymousId(): string | undefined;
  /**
   * Settles once the anonymous ID is loaded (also when storage is unavailable), or at once when consent
   * is denied; while consent is pending it waits for the decision. Never rejects.
   */
  ready(): Promise<void>;
  /** Grants, denies or (again) suspends consent (SPEC §7). With `respectGpc` and the browser's GPC signal on, it stays denied. */
  consent(state: ConsentState): void;
  /**
   * Registers a push token (an app's APNs/FCM token) or a web push subscription on this visitor's profile
   * (`POST /v1/devices`). Waits for consent; settles true when the collector accepted it. Never rejects.
   */
  registerDevice(token: string, platform: DevicePlatform, subscription?: unknown): Promise<boolean>;
}

/**
 * A public call the client accepted, as plugins see it: identify passes its userId (if any) as `name` and its
 * traits as `properties`; `reset` comes once the new anonymous ID is in place.
 */
export type CallListener = (
  type: 'track' | 'page' | 'identify' | 'reset',
  name: string | undefined,
  properties: Properties | undefined,
) => void;

/** What a plugin gets: the public methods, the client's logger and settings. Plugins never import the client. */
export interface PluginApi extends Client {
  log: Log;
  /** The collector's base URL, without a trailing slash. */
  host: string;
  writeKey: string;
  /** Calls `listener` after each accepted track, page, identify and reset; a listener's throw is logged, never raised. */
  onCall(listener: CallListener): void;
  /** For plugins, `ready()` settles only once consent is granted and the visitor is loaded: until then a plugin sends nothing. */
  ready(): Promise<void>;
}
export type Plugin = (api: PluginApi) => void;

export interface ClientOptions {
  writeKey: string;
  /** The collector's base URL, e.g. `https://collect.example.com`. */
  host: string;
  /** Log dropped messages and caught errors to the console. */
  debug?: boolean;
  /** Skip probing and use this cookie domain. */
  cookieDomain?: string;
  /** Debounce between a call and its flush (ms, default 150). */
  flushDelayMs?: number;
  queueCaps?: Partial<QueueCaps>;
  plugins?: Plugin[];
  /** Consent at start (SPEC §7), default `granted`; a consent manager calls `consent(state)` later. */
  consent?: ConsentState;
  /** Treat `navigator.globalPrivacyControl === true` as denied, whatever `consent` says. */
  respectGpc?: boolean;
}

/** The browser surface the client reads; `window` by default. */
export interface WindowLike {
  location: Pick<Location, 'href' | 'pathname' | 'search' | 'hostname' | 'protocol' | 'origin'>;
  document: PageEnv['document'] & {
    visibilityState?: string;
    addEventListener?: (type: string, listener: () => void) => void;
  };
  navigator?: Partial<Pick<Navigator, 'language' | 'userAgent'>> & { globalPrivacyControl?: boolean };
  addEventListener?: (type: string, listener: () => void) => void;
}

/** Everything the client touches outside itself; each defaults lazily to the browser's. For tests and unusual hosts. */
export interface ClientDeps {
  fetch?: FetchLike;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  cookies?: CookieJar;
  store?: UseStore;
  /** `null` turns Web Locks off. */
  locks?: LocksLike | null;
  window?: WindowLike;
  crypto?: RandomSource;
  log?: Log;
}
