import type { ClientOptions } from '@threadline/sdk';

/**
 * The collector and write key from the page's `<meta>` tags, or undefined
 * while they still hold the `{{…}}` placeholders (the page was opened from a
 * plain static server): the app then runs without tracking.
 * @example readConfig(document) // { host: 'http://127.0.0.1:8787', writeKey: 'wk_…' }
 */
export function readConfig(doc: Document): Pick<ClientOptions, 'host' | 'writeKey'> | undefined {
  const meta = (name: string) => doc.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
  const host = meta('threadline-host');
  const writeKey = meta('threadline-write-key');
  if (!host || !writeKey || host.includes('{{') || writeKey.includes('{{')) return undefined;
  return { host, writeKey };
}
