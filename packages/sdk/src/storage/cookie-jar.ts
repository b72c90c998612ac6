import Cookies from 'js-cookie';

export interface CookieAttributes {
  domain?: string;
  /** Days from now; negative deletes. Without it, a session cookie. */
  expires?: number;
  secure?: boolean;
}

/** The three cookie operations the SDK needs; js-cookie in the browser, a Map in tests. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, attributes?: CookieAttributes): void;
  remove(name: string, attributes?: CookieAttributes): void;
}

/**
 * The browser's cookie jar: js-cookie (the project brief's choice) with path
 * `/` and `SameSite=Lax` (sent on top-level navigations from other sites, so
 * the visitor stays the same when arriving from a campaign link). js-cookie
 * encodes values (RFC 6265 §4.1.1) and writes `expires` from days.
 * @example browserCookieJar().get('tl_aid');
 */
export function browserCookieJar(): CookieJar {
  return Cookies.withAttributes({ path: '/', sameSite: 'Lax' });
}
