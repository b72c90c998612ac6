export interface CookieAttributes {
  domain?: string;
  /** Days from now; negative deletes. Without it, a session cookie. */
  expires?: number;
  secure?: boolean;
}

/** The three cookie operations the SDK needs; `document.cookie` in the browser, a Map in tests. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, attributes?: CookieAttributes): void;
  remove(name: string, attributes?: CookieAttributes): void;
}

/**
 * The browser's cookie jar over `document.cookie`: path `/`, `SameSite=Lax`
 * (sent on top-level navigations from other sites, so the visitor stays the
 * same when arriving from a campaign link), values URI-encoded (RFC 6265 §4.1.1).
 * @example browserCookieJar().get('tl_aid');
 */
export function browserCookieJar(doc: Pick<Document, 'cookie'> = document): CookieJar {
  const set = (name: string, value: string, a: CookieAttributes = {}) => {
    doc.cookie =
      `${name}=${encodeURIComponent(value)};path=/;samesite=lax` +
      (a.domain ? `;domain=${a.domain}` : '') +
      (a.expires ? `;max-age=${Math.round(a.expires * 864e2)}` : '') +
      (a.secure ? ';secure' : '');
  };
  return {
    get(name) {
      for (const pair of doc.cookie.split(/; */)) {
        const i = pair.indexOf('=');
        if (pair.slice(0, i) === name) return decodeURIComponent(pair.slice(i + 1));
      }
      return undefined;
    },
    set,
    remove: (name, a) => set(name, '', { ...a, expires: -1 }),
  };
}
