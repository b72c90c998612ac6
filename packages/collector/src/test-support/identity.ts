import { randomUUID } from 'node:crypto';
import type { TestApp } from './app.js';

export interface Who {
  anonymousId?: string;
  userId?: string;
  email?: string;
  phone?: string;
  traits?: Record<string, unknown>;
}

/** Sends an identify the way the SDK does: email and phone as traits, never as userId. */
export async function identify(t: TestApp, who: Who, opts: { verified?: boolean; integrity?: string } = {}) {
  const traits = { ...who.traits, ...(who.email ? { email: who.email } : {}), ...(who.phone ? { phone: who.phone } : {}) };
  const res = await t.send(
    '/v1/identify',
    {
      messageId: randomUUID(),
      anonymousId: who.anonymousId,
      userId: who.userId,
      traits,
      ...(opts.integrity ? { integrity: opts.integrity } : {}),
    },
    { verified: opts.verified },
  );
  if (res.status !== 200) throw new Error(`identify answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export async function track(t: TestApp, anonymousId: string, event: string, properties: Record<string, unknown> = {}) {
  const res = await t.send('/v1/track', { messageId: randomUUID(), anonymousId, event, properties });
  if (res.status !== 200) throw new Error(`track answered ${res.status}: ${await res.text()}`);
}

/** The profile owning one identifier, or undefined when the lookup answers 404. */
export async function profileOf(t: TestApp, kind: 'email' | 'phone' | 'userId' | 'anonymousId', value: string) {
  const res = await t.admin(`/api/profiles/lookup?${kind}=${encodeURIComponent(value)}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`lookup answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as {
    id: string;
    status: string;
    userId: string | null;
    email: string | null;
    phone: string | null;
    anonymousIds: string[];
    traits: Record<string, unknown>;
  };
}

export async function logOf(t: TestApp, id: string) {
  return (await t.admin(`/api/profiles/${id}/log`)).body.entries as Array<{ id: string; type: string; details: any }>;
}

export async function eventsOf(t: TestApp, id: string) {
  return (await t.admin(`/api/profiles/${id}/events`)).body.events as Array<{
    messageId: string;
    type: string;
    event: string | null;
    anonymousId: string | null;
  }>;
}

export async function usePrimaryKey(t: TestApp, primaryKey: 'email' | 'phone' | 'userId', extra: Record<string, unknown> = {}) {
  const res = await t.admin('/api/settings', { method: 'PATCH', body: { primaryKey, ...extra } });
  if (res.status !== 200) throw new Error(`settings answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** The timeline of the profile owning an anonymous ID, or undefined when there is none. */
export async function timelineOf(t: TestApp, anonymousId: string) {
  const profile = await t.admin(`/api/profiles/lookup?anonymousId=${encodeURIComponent(anonymousId)}`);
  if (profile.status !== 200) return undefined;
  return (await t.admin(`/api/profiles/${profile.body.id}/events`)).body.events as Array<Record<string, any>>;
}

export const messageIdsOf = async (t: TestApp, anonymousId: string) =>
  (await timelineOf(t, anonymousId))?.map((e) => e.messageId as string);

/** A track message as the tracking API takes it. */
export const trackMessage = (messageId: string, anonymousId: string, event: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  messageId,
  anonymousId,
  event,
  ...extra,
});

/** Sends one message to a single-message endpoint and fails unless it is accepted. */
export async function sendOne(t: TestApp, type: 'identify' | 'page', message: Record<string, unknown>) {
  const res = await t.send(`/v1/${type}`, { messageId: randomUUID(), ...message });
  if (res.status !== 200) throw new Error(`${type} answered ${res.status}: ${await res.text()}`);
}
