/**
 * A plausible email address: something@domain.tld, no spaces. The collector
 * normalises and checks it properly; this only catches typos before sending.
 * @example isEmail('ana@example.com') // true
 */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254;
}

/**
 * A plausible phone number: 7 to 15 digits (E.164's longest), an optional
 * leading `+`, and the spaces, dots, dashes and brackets people type.
 * The collector turns it into E.164 with the workspace's default country.
 * @example isPhone('+91 98765 43210') // true
 */
export function isPhone(value: string): boolean {
  return /^\+?[\d\s().-]+$/.test(value) && /^\d{7,15}$/.test(value.replace(/\D/g, ''));
}

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
