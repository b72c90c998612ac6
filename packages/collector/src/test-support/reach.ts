import type { TestApp } from './app.js';

/** POSTs a suppression through the admin API and fails unless it is recorded. */
export async function suppress(t: TestApp, channel: string, address: string, reason = 'unsubscribed', source?: string) {
  const res = await t.admin('/api/suppressions', { method: 'POST', body: { channel, address, reason, ...(source ? { source } : {}) } });
  if (res.status !== 201) throw new Error(`suppress answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { channel: string; address: string; reason: string; source: string; at: string; profileId: string | null };
}

/** Sends provider events; answers the per-item result. */
export async function channelEvents(t: TestApp, events: unknown[]) {
  const res = await t.admin('/api/channel-events', { method: 'POST', body: { events } });
  if (res.status !== 200) throw new Error(`channel-events answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { accepted: number; rejected: Array<{ index: number; field: string; reason: string }> };
}

/** Registers a device with the write key, as the SDK does. */
export async function registerDevice(t: TestApp, body: Record<string, unknown>) {
  const res = await t.send('/v1/devices', body);
  if (res.status !== 201) throw new Error(`device answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<{ token: string; platform: string; enabled: boolean; updatedAt: string; profileId: string }>;
}

/** The workspace's reachability per channel. */
export async function reachability(t: TestApp) {
  return (await t.admin('/api/stats')).body.reachability as Record<'email' | 'sms' | 'whatsapp' | 'push' | 'webpush', number>;
}

export const EVIDENCE = { source: 'preference-center', at: '2026-01-02T09:00:00Z', text: 'ticked "send me offers" again' };
