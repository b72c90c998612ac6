import type { JsonObject } from '@threadline/protocol';
import type { PageEnv } from './page-env.js';
import { VERSION } from './version.js';

/**
 * Segment's page defaults: a canonical link, when present, names the page.
 * @example pageDefaults(window) // { path: '/shoes', referrer: '', search: '?a=1', title: 'Shoes', url: 'https://…' }
 */
export function pageDefaults({ location, document }: PageEnv): JsonObject {
  // `.href` of a link element is already absolute; Segment keeps the page's query when the canonical URL has none.
  const canonical = (document.querySelector?.('link[rel=canonical]') as { href?: string } | null)?.href;
  const search = location.search;
  return {
    path: canonical ? new URL(canonical).pathname : location.pathname,
    referrer: document.referrer,
    search,
    title: document.title,
    url: canonical ? (canonical.includes('?') ? canonical : canonical + search) : location.href.split('#')[0]!,
  };
}

/**
 * `utm_*` query parameters as Segment's `context.campaign`: `utm_campaign`
 * becomes `name`, every other `utm_x` becomes `x`.
 * @example campaign('?utm_source=news&utm_campaign=spring') // { source: 'news', name: 'spring' }
 */
export function campaign(search: string): JsonObject | undefined {
  const out: JsonObject = {};
  let found = false;
  new URLSearchParams(search).forEach((value, key) => {
    if (key.startsWith('utm_') && key.length > 4) {
      const k = key.slice(4);
      out[k === 'campaign' ? 'name' : k] = value;
      found = true;
    }
  });
  return found ? out : undefined;
}

/**
 * The Segment `context` of a message, read at call time (an SPA may have moved on by send time).
 * @example buildContext(window).library // { name: 'threadline', version: '0.1.0' }
 */
export function buildContext(env: PageEnv, page = pageDefaults(env)): JsonObject {
  const context: JsonObject = {
    library: { name: 'threadline', version: VERSION },
    page,
    locale: env.navigator?.language ?? '',
    userAgent: env.navigator?.userAgent ?? '',
  };
  const utm = campaign(env.location.search);
  if (utm) context.campaign = utm;
  return context;
}
