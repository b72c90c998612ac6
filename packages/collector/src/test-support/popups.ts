import type { PopupRule, PopupRuleInput } from '@threadline/protocol';
import type { TestApp } from './app.js';

/** A valid rule to vary in tests. */
export const ruleInput = (over: Partial<PopupRuleInput> = {}): PopupRuleInput => ({
  name: 'Welcome offer',
  audience: 'everyone',
  trigger: { type: 'pageView' },
  content: { title: '10% off your first order', body: 'Leave your email.', cta: { label: 'Shop now', url: 'https://shop.example/sale' } },
  ...over,
});

/** Creates a rule through the admin API; throws unless it answers 201. */
export async function createRule(t: TestApp, over: Partial<PopupRuleInput> = {}): Promise<PopupRule> {
  const res = await t.admin<PopupRule>('/api/popups', { method: 'POST', body: ruleInput(over) });
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** `GET /v1/popups` as the SDK calls it: write key and anonymous ID in the query. */
export function fetchPopups(
  t: TestApp,
  anonymousId: string | undefined,
  opts: { writeKey?: string; headers?: Record<string, string> } = {},
) {
  const q = new URLSearchParams({ writeKey: opts.writeKey ?? t.writeKey, ...(anonymousId === undefined ? {} : { anonymousId }) });
  return Promise.resolve(t.app.request(`/v1/popups?${q}`, { headers: opts.headers }));
}
