/** Every event type a webhook endpoint can subscribe to (SPEC §9). */
export const WEBHOOK_TYPES = [
  'profile.created',
  'profile.status_changed',
  'profile.merged',
  'profile.merge_refused',
  'profile.unmerged',
  'profile.deleted',
  'claim.refused',
  'suppression.changed',
  'device.changed',
  'segment.entered',
  'segment.exited',
  'trigger.fired',
  'import.finished',
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/** An event to announce, as domain code decides it; the outbox stores it (repos/outbox.ts has the same shape). */
export interface AnnouncedEvent {
  type: string;
  /** The profile it is about: deliveries of one profile go out in order. */
  profileId?: string | null;
  data: Record<string, unknown>;
  /** Epoch milliseconds of the change. */
  at: number;
}

/** True when an endpoint subscribed to `events` wants `type`. */
export const subscribes = (events: readonly string[], type: string) => events.includes('*') || events.includes(type);
