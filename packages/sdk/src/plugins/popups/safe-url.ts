/**
 * A call-to-action link the popup may render: http(s) or a site path, never
 * `javascript:` or `data:`. The collector checks this too; the SDK checks
 * again because a link it renders is its own responsibility.
 * @example safeUrl('javascript:alert(1)') // undefined
 */
export function safeUrl(url: unknown): string | undefined {
  const u = typeof url === 'string' ? url.trim() : '';
  return /^(https?:\/\/|\/(?![/\\]))/i.test(u) ? u : undefined;
}
