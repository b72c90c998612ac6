import type { JsonObject } from '@threadline/protocol';
import type { UseStore } from 'idb-keyval';
import { readKv, writeKv } from '../storage/kv-store.js';
import type { Log } from '../util/logger.js';
import { withTimeout, type Timers } from '../util/timeout.js';
import { chooseAnonymousId, readAnonymousIdCookie, validAnonymousId, writeAnonymousIdCookie, type CookieTarget } from './anonymous-id.js';
import { hashIdentifiers, identifiersOf, isDifferentPerson, type SeenHashes } from './identity-hashes.js';

export interface VisitorDeps {
  cookie: CookieTarget;
  store: UseStore;
  newId: () => string;
  timers: Timers;
  log: Log;
  /** Asks the collector's HttpOnly cookie for the ID when neither cookie nor mirror has one (first-party collector, SPEC §8). */
  recall?: () => Promise<string | undefined>;
}

/** Who this browser is: the anonymous ID, the page's userId and who identified here before. */
export interface Visitor {
  /** The anonymous ID, cookie first (another tab may have rotated it); undefined until known. */
  id(): string | undefined;
  /**
   * The anonymous ID now, for page hide: on a first visit whose IndexedDB has
   * not answered yet there is none, so one is made and put in the cookie
   * rather than lose the page's calls. The load that follows keeps it (the
   * cookie wins), at the cost of a mirror-only ID when the cookie had been
   * cleared and IndexedDB was that slow.
   */
  idNow(): string;
  /** The userId of the last identify in this page; kept in memory only (SPEC §7). */
  userId(): string | undefined;
  /** Whether the cookie and the IndexedDB mirror have been reconciled. */
  loaded(): boolean;
  /** Settles once loaded, also when IndexedDB fails or hangs; never rejects. */
  ready: Promise<void>;
  /** A new anonymous ID in cookie and mirror, forgetting who identified (logout, new person). */
  rotate(): void;
  /** Records an identify, rotating first when it names a different person (SPEC §8). */
  observe(userId: string | undefined, traits: JsonObject | undefined): void;
}

/** How long to wait for IndexedDB before going on without it (Safari can leave an open request hanging). */
const LOAD_TIMEOUT_MS = 1000;

const isSeen = (v: unknown, aid: string): v is SeenHashes => (v as SeenHashes | undefined)?.aid === aid;

/**
 * Loads the anonymous ID (cookie, else the IndexedDB mirror, else a new one)
 * with who identified here before, and calls `onLoad` when done.
 * @example const visitor = createVisitor(deps, drain); await visitor.ready;
 */
export function createVisitor(deps: VisitorDeps, onLoad: () => void): Visitor {
  const { cookie, store, newId, log } = deps;
  // The cookie is synchronous: page hide can use it before IndexedDB answers.
  let current = readAnonymousIdCookie(cookie.jar);
  let seen: SeenHashes | undefined;
  let user: string | undefined;
  let loaded = false;
  const save = (entries: [IDBValidKey, unknown][]) => void writeKv(store, entries).catch(log);

  const ready = withTimeout(
    readKv(store, (s) => [s.get('aid'), s.get('ids')]),
    LOAD_TIMEOUT_MS,
    [],
    deps.timers,
  )
    .then(async ([mirror, ids]) => {
      const known = readAnonymousIdCookie(cookie.jar) || current || validAnonymousId(mirror);
      const recalled = known || !deps.recall ? undefined : await withTimeout(deps.recall(), LOAD_TIMEOUT_MS, undefined, deps.timers);
      // Read the cookie again: page hide may have written one while the collector was asked.
      current = chooseAnonymousId(readAnonymousIdCookie(cookie.jar) ?? current, mirror, () => recalled || newId());
      seen = isSeen(ids, current) ? ids : { aid: current };
      if (mirror !== current) save([['aid', current]]);
      writeAnonymousIdCookie(current, cookie); // also renews the expiry on every visit
    })
    .catch(log)
    .then(() => {
      current ??= newId();
      loaded = true;
      onLoad();
    });

  function id() {
    if (loaded) {
      const c = readAnonymousIdCookie(cookie.jar);
      if (!c)
        writeAnonymousIdCookie(current!, cookie); // cleared mid-visit: memory restores it
      else if (c !== current) {
        // Another tab rotated it (reset, a different person): follow, and forget who we knew.
        current = c;
        seen = { aid: c };
        user = undefined;
      }
    }
    return current;
  }

  function rotate() {
    current = newId();
    seen = { aid: current };
    user = undefined;
    writeAnonymousIdCookie(current, cookie);
    save([
      ['aid', current],
      ['ids', seen],
    ]);
  }

  function observe(userId: string | undefined, traits: JsonObject | undefined) {
    const ids = identifiersOf(userId, traits);
    // Before the hashes loaded (forced on page hide) there is nothing to compare: record nothing.
    if (seen && current) {
      let hashes = hashIdentifiers(ids, current);
      if (isDifferentPerson(seen, hashes)) {
        log('different person: new anonymous ID');
        rotate();
        hashes = hashIdentifiers(ids, current);
      }
      save([['ids', (seen = { ...seen, ...hashes })]]);
    }
    if (ids.userId) user = ids.userId;
  }

  function idNow() {
    if (!current) writeAnonymousIdCookie((current = newId()), cookie);
    return current;
  }

  return { id, idNow, userId: () => user, loaded: () => loaded, ready, rotate, observe };
}
