import { probeCookieDomain } from '../storage/cookie-domain.js';
import type { CookieJar } from '../storage/cookie-jar.js';
import type { CookieTarget } from './anonymous-id.js';

/**
 * Where the anonymous-ID cookie goes on this page: the given domain, else the
 * registrable domain probed on first use (once: probing writes cookies, which
 * must not happen before consent, SPEC §7), Secure on https.
 * @example const target = cookieTarget(location, browserCookieJar()); writeAnonymousIdCookie(id, target);
 */
export function cookieTarget(location: { hostname: string; protocol: string } | undefined, jar: CookieJar, domain?: string): CookieTarget {
  let probed = !!domain;
  return {
    jar,
    secure: location?.protocol === 'https:',
    domain: () => {
      if (!probed) domain = probeCookieDomain(location!.hostname, jar);
      probed = true;
      return domain;
    },
  };
}
