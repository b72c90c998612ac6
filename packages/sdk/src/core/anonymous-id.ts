import { MAX_ID_LENGTH } from '@threadline/protocol';
import type { CookieJar } from '../storage/cookie-jar.js';

/** Versioned cookie name (HOUSE-STYLE, naming): a new format gets a new name. */
export const ANONYMOUS_ID_COOKIE = 'tl_aid';
/** Chrome caps cookie lifetimes at 400 days (RFC 6265bis §5.5); asking for more is ignored. */
const COOKIE_DAYS = 400;

/** An ID the collector would accept, or undefined (a tampered cookie, a foreign mirror value). */
export const validAnonymousId = (v: unknown) => (typeof v === 'string' && v && v.length <= MAX_ID_LENGTH ? v : undefined);

/** Where the anonymous-ID cookie lives: the jar, the probed domain (lazy) and whether the page is https. */
export interface CookieTarget {
  jar: CookieJar;
  domain: () => string | undefined;
  secure: boolean;
}

/**
 * Reads the anonymous ID cookie, ignoring values no collector would accept.
 * @example readAnonymousIdCookie(browserCookieJar())
 */
export function readAnonymousIdCookie(jar: CookieJar): string | undefined {
  // document.cookie throws a SecurityError in sandboxed iframes: the ID then lives in memory.
  try {
    return validAnonymousId(jar.get(ANONYMOUS_ID_COOKIE));
  } catch {
    return undefined;
  }
}

/**
 * Writes (or refreshes the expiry of) the first-party anonymous ID cookie.
 * @example writeAnonymousIdCookie(id, { jar, domain: () => 'example.com', secure: true })
 */
export function writeAnonymousIdCookie(id: string, { jar, domain, secure }: CookieTarget): void {
  try {
    jar.set(ANONYMOUS_ID_COOKIE, id, { domain: domain(), expires: COOKIE_DAYS, secure });
  } catch {
    // See readAnonymousIdCookie.
  }
}

/**
 * The one rule for cookie and IndexedDB mirror (SPEC §8): the cookie wins when
 * both exist; the mirror restores a cleared cookie; neither means a new visitor.
 * @example chooseAnonymousId(undefined, 'from-idb', uuid) // 'from-idb'
 */
export function chooseAnonymousId(cookie: string | undefined, mirror: unknown, newId: () => string): string {
  return cookie || validAnonymousId(mirror) || newId();
}

/**
 * Deletes the anonymous ID cookie (consent denied, SPEC §7) wherever it may
 * have been written: host-only and on every parent domain of the page, since
 * the probed domain is not known without writing a probe cookie.
 * @example removeAnonymousIdCookie(jar, 'www.shop.example.co.uk');
 */
export function removeAnonymousIdCookie(jar: CookieJar, hostname: string): void {
  const labels = hostname.split('.');
  try {
    jar.remove(ANONYMOUS_ID_COOKIE);
    for (let i = 0; i < labels.length - 1; i++) jar.remove(ANONYMOUS_ID_COOKIE, { domain: labels.slice(i).join('.') });
  } catch {
    // See readAnonymousIdCookie.
  }
}
