import { expect } from '@playwright/test';
import { COLLECTOR, SECRET_KEY } from './env.js';

/** An event as `GET /api/profiles/:id/events` answers it (SPEC §9). */
export interface StoredEvent {
  messageId: string;
  type: 'track' | 'page' | 'identify' | 'alias' | string;
  event: string | null;
  name: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  timestamp: string;
  receivedAt: string;
  anonymousId: string | null;
  userId: string | null;
}

/** A profile as the admin API answers it. */
export interface Profile {
  id: string;
  status: string;
  userId: string | null;
  email: string | null;
  phone: string | null;
  anonymousIds: string[];
  traits: Record<string, unknown>;
  devices?: Array<{ token: string; platform: string; enabled: boolean; updatedAt: string }>;
}

/** How a spec names the profile it checks: the identifier a user would search by. */
export type ProfileKey = { email: string } | { phone: string } | { anonymousId: string } | { userId: string };

async function admin<T>(path: string): Promise<T | undefined> {
  const res = await fetch(`${COLLECTOR}/api${path}`, { headers: { Authorization: `Bearer ${SECRET_KEY}` } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET /api${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The profile holding this identifier (the survivor of a merge), or undefined while nothing is stored for it. */
export function findProfile(key: ProfileKey): Promise<Profile | undefined> {
  return admin<Profile>(`/profiles/lookup?${new URLSearchParams(key as Record<string, string>)}`);
}

/** The profile's whole timeline in the API's order, every page of it; empty while the profile does not exist. */
export async function timeline(key: ProfileKey): Promise<StoredEvent[]> {
  const profile = await findProfile(key);
  if (!profile) return [];
  const events: StoredEvent[] = [];
  let after: string | null = null;
  do {
    const query: string = after ? `?after=${encodeURIComponent(after)}` : '';
    const page = await admin<{ events: StoredEvent[]; next: string | null }>(`/profiles/${profile.id}/events${query}`);
    if (!page) return []; // merged away between the two reads: the next poll finds the survivor
    events.push(...page.events);
    after = page.next;
  } while (after);
  return events;
}

/** A short readable name: the event for `track`, `page <name or path>`, `identify <email>`. */
export function label(e: StoredEvent): string {
  if (e.type === 'track') return e.event ?? 'track';
  if (e.type === 'page') return `page ${e.name ?? e.properties?.path ?? ''}`;
  if (e.type === 'identify') return `identify ${String(e.traits?.email ?? e.userId ?? '').trim()}`.trim();
  return e.type;
}

/**
 * Waits (bounded) until the profile's timeline is exactly `expected`, then
 * checks what "exactly once, in time order" means on the stored rows: no
 * messageId twice, timestamps never going back. `order: 'any'` compares
 * contents only (events of two tabs, whose relative order is not the point).
 * Answers the events.
 */
export async function expectTimeline(
  key: ProfileKey,
  expected: readonly string[],
  { order = 'time', timeout = 20_000 }: { order?: 'time' | 'any'; timeout?: number } = {},
): Promise<StoredEvent[]> {
  let events: StoredEvent[] = [];
  const labels = (stored: StoredEvent[]) => (order === 'time' ? stored.map(label) : stored.map(label).sort());
  await expect
    .poll(
      async () => {
        events = await timeline(key);
        return labels(events);
      },
      {
        message: `timeline of ${JSON.stringify(key)}`,
        timeout,
        intervals: [100, 250, 500, 1000],
      },
    )
    .toEqual(order === 'time' ? expected : [...expected].sort());
  expectExactlyOnceInTimeOrder(events);
  return events;
}

/** No messageId stored twice, and the API answers in time order. */
export function expectExactlyOnceInTimeOrder(events: StoredEvent[]): void {
  const ids = events.map((e) => e.messageId);
  expect(new Set(ids).size, 'distinct messageIds').toBe(ids.length);
  const times = events.map((e) => Date.parse(e.timestamp));
  expect(times, 'timestamps in time order').toEqual([...times].sort((a, b) => a - b));
}

/** A unique address per test, so specs sharing one database never meet. */
export function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@e2e.example.com`;
}
