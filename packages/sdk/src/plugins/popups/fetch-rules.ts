import type { PopupRule, PopupsResponse } from '@threadline/protocol';

/** The slice of `fetch` the rules request needs; injected in tests. */
export type GetJson = (url: string, init: RequestInit) => Promise<Pick<Response, 'ok' | 'json'>>;

/**
 * The rules that apply to this visitor, from `GET {host}/v1/popups` (SPEC §6).
 * A CORS-simple GET without credentials: no preflight, and the collector's
 * cookies stay out of it. Any failure (blocked, offline, an error status, a
 * body of the wrong shape) answers no rules: popups are never worth an error.
 * @example const rules = await fetchRules('https://collect.example.com', 'wk_1', anonymousId);
 */
export async function fetchRules(
  host: string,
  writeKey: string,
  anonymousId: string | undefined,
  get: GetJson = fetch,
): Promise<PopupRule[]> {
  try {
    const query = new URLSearchParams({ writeKey });
    if (anonymousId) query.set('anonymousId', anonymousId);
    const res = await get(`${host}/v1/popups?${query}`, { credentials: 'omit' });
    if (!res.ok) return [];
    const body = (await res.json()) as Partial<PopupsResponse> | null;
    return Array.isArray(body?.popups) ? body.popups.filter((r) => r && typeof r.id === 'string' && r.content && r.trigger) : [];
  } catch {
    return [];
  }
}
