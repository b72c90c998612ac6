import type { PopupRule, UrlMatch } from '@threadline/protocol';

/** The parts of `location` page rules read. */
export type PageLocation = Pick<Location, 'href' | 'pathname' | 'search'>;

// Regex metacharacters other than the glob's own `*` and `?`, escaped so they match themselves.
const escapeRegex = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/**
 * A glob as a whole-string pattern: `*` any run of characters (`/` included),
 * `?` exactly one.
 * @example globToRegExp('/shop/*?ref=?').test('/shop/shoes?ref=a') // true
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.split('?').map(escapeRegex).join('.'))
      .join('.*')}$`,
  );
}

/**
 * Whether one page rule matches (SPEC §6). A value starting with `/` is
 * compared with the path and query; anything else with the full URL without
 * its hash (the hash is client-side state, not a page). Case-sensitive, as
 * URLs are. A regex that does not compile matches nothing.
 * @example matchesUrl({ match: 'startsWith', value: '/checkout' }, location)
 */
export function matchesUrl(rule: UrlMatch, page: PageLocation): boolean {
  const value = String(rule.value ?? '');
  const target = value.startsWith('/') ? page.pathname + page.search : page.href.split('#')[0]!;
  switch (rule.match) {
    case 'equals':
      return target === value;
    case 'contains':
      return target.includes(value);
    case 'startsWith':
      return target.startsWith(value);
    case 'glob':
      return globToRegExp(value).test(target);
    case 'regex':
      try {
        return new RegExp(value).test(target);
      } catch {
        return false; // a stored rule that does not compile must not break the page
      }
    default:
      return false; // a kind this SDK version does not know
  }
}

/**
 * Whether a rule's pages allow this page: no `include` means every page, and an
 * `exclude` match wins over any include.
 * @example pageAllowed({ include: [], exclude: [{ match: 'startsWith', value: '/account' }] }, location)
 */
export function pageAllowed(pages: Partial<PopupRule['pages']> | undefined, page: PageLocation): boolean {
  const include = pages?.include ?? [];
  if ((pages?.exclude ?? []).some((m) => matchesUrl(m, page))) return false;
  return !include.length || include.some((m) => matchesUrl(m, page));
}
