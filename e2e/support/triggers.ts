import { COLLECTOR, SECRET_KEY } from './env.js';

/** A firing as `GET /api/triggers/:id/firings` answers it (SPEC §9). */
export interface Firing {
  id: string;
  triggerId: string;
  profileId: string;
  status: 'waiting' | 'fired' | 'expired' | 'cancelled';
  events: Array<{ messageId: string; event: string | null; properties: Record<string, unknown> | null; anonymousId: string | null }>;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${COLLECTOR}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} /api${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Creates a trigger through the real admin API, as a marketer's tool would. */
export const createTrigger = (body: { name: string; condition: unknown; channel: string; waitFor: Record<string, number> }) =>
  api<{ id: string }>('POST', '/triggers', body);

/** Registers a webhook endpoint through the admin API; the answer carries its signing secret. */
export const createWebhook = (body: { url: string; events: string[] }) => api<{ id: string; secret: string }>('POST', '/webhooks', body);

/** Every firing of the trigger so far (all pages). */
export async function firingsOf(triggerId: string): Promise<Firing[]> {
  const out: Firing[] = [];
  let after: string | null = null;
  do {
    const page: { firings: Firing[]; next: string | null } = await api(
      'GET',
      `/triggers/${triggerId}/firings${after ? `?after=${after}` : ''}`,
    );
    out.push(...page.firings);
    after = page.next;
  } while (after);
  return out;
}
