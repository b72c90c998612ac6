import type { JsonObject } from '@threadline/protocol';
import type { PageEnv } from './page-env.js';
import { VERSION } from './version.js';

/**
 * Segment's page defaults: a canonical link, when present, names the page.
 * @example pageDefaults(window) // { path: '/shoes', referrer: '', search: '?a=1', title: 'Shoes', url: 'https://…' }
 */
export function pageDefaults({ location, document }: PageEnv): JsonObject {
  // `.href` of a link element is already absolute.
  const canonical = (document.querySelector?.('link[rel=canonical]') as { href?: string } | null)?.href;
  const url = new URL(canonical || location.href);
  url.hash = '';
  // Segment keeps the page's query when the canonical URL has none.
  if (!url.search) url.search = location.search;
  return { path: url.pathname, referrer: document.referrer, search: location.search, title: document.title, url: url.href };
}

/**
 * `utm_*` query parameters as Segment's `context.campaign`: `utm_campaign`
 * becomes `name`, every other `utm_x` becomes `x`.
 * @example campaign('?utm_source=news&utm_campaign=spring') // { source: 'news', name: 'spring' }
 */
export function campaign(search: string): JsonObject | undefined {
  let out: JsonObject | undefined;
  new URLSearchParams(search).forEach((value, key) => {
    if (/^utm_./.test(key)) (out ??= {})[key === 'utm_campaign' ? 'name' : key.slice(4)] = value;
  });
  return out;
}

/**
 * The Segment `context` of a message, read at call time (an SPA may have moved on by send time).
 * @example buildContext(window).library // { name: 'threadline', version: '0.1.0' }
 */
export function buildContext(env: PageEnv, page = pageDefaults(env)): JsonObject {
  // No utm_* parameters: campaign is undefined (typed away here) and vanishes when the queue serialises the message.
  return {
    library: { name: 'threadline', version: VERSION },
    page,
    locale: env.navigator?.language ?? '',
    userAgent: env.navigator?.userAgent ?? '',
    campaign: campaign(env.location.search)!,
  };
}
