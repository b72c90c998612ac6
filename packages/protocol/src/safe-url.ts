// A browser drops tabs and line breaks anywhere in a URL and trims C0 controls
// (WHATWG URL parser), so `/\t/evil.example` is read as `//evil.example`: no
// control character may appear at all.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// `//host` is protocol-relative, and browsers read `/\host` as `//host` too.
const HTTP_OR_SITE_PATH = /^(https?:\/\/|\/(?![/\\]))/i;

/**
 * The one rule for a link a popup may render (SPEC §6): an http(s) URL or a
 * path on the site itself, never `javascript:`, `data:` or another host
 * reached through a protocol-relative path. The collector refuses a rule that
 * breaks it and the SDK will not render one, by this same function. The
 * caller trims surrounding whitespace first.
 *
 * @example isSafeCtaUrl('/sale') // true
 * @example isSafeCtaUrl('/\\evil.example/') // false
 */
export function isSafeCtaUrl(url: string): boolean {
  return HTTP_OR_SITE_PATH.test(url) && !CONTROL.test(url);
}
