import type { CookieJar } from './cookie-jar.js';

const PROBE = 'tl_probe';

/**
 * Finds the registrable domain by writing a test cookie on the shortest suffix
 * first (Google Analytics' 'auto' domain): the browser refuses public suffixes
 * such as `co.uk`, so the first suffix that sticks is the site, and `www.` and
 * `shop.` share the cookie. IPs, `localhost` and single-label hosts get a
 * host-only cookie (undefined), because a domain attribute there is refused.
 * @example probeCookieDomain('shop.example.co.uk', jar) // 'example.co.uk'
 */
export function probeCookieDomain(hostname: string, jar: CookieJar): string | undefined {
  // IPv4 ends in a digit, IPv6 (bracketed or not) contains ':'; no TLD ends in a digit.
  if (/\d$|:/.test(hostname)) return undefined;
  const labels = hostname.split('.');
  for (let i = labels.length - 2; i >= 0; i--) {
    const domain = labels.slice(i).join('.');
    jar.set(PROBE, '1', { domain });
    if (jar.get(PROBE) === '1') {
      jar.remove(PROBE, { domain });
      return domain;
    }
  }
  return undefined;
}
