import { isSafeCtaUrl } from '@threadline/protocol';

/**
 * A call-to-action link the popup may render: http(s) or a site path, never
 * `javascript:` or `data:`. The collector refuses such rules by the same
 * protocol rule; the SDK checks again because a link it renders is its own
 * responsibility (a rule may predate the check, or a proxy may alter it).
 * @example safeUrl('javascript:alert(1)') // undefined
 */
export function safeUrl(url: unknown): string | undefined {
  const u = typeof url === 'string' ? url.trim() : '';
  return isSafeCtaUrl(u) ? u : undefined;
}
