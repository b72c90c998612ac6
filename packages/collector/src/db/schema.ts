import type { Generated } from 'kysely';

/**
 * Table types. Every table is keyed by workspace_id first so the schema can be
 * distributed by workspace (Citus) without a rewrite: see ARCHITECTURE.md.
 * Times are epoch milliseconds (bigint); JSON columns are jsonb on PostgreSQL
 * and text on SQLite (the repos parse both).
 */
export interface WorkspacesTable {
  id: string;
  name: string;
  write_key: string;
  secret_key: string;
  /** SHA-256 of the key (hex): what a presented key is looked up by (db/key-digest.ts). */
  write_key_hash: string;
  secret_key_hash: string;
  settings: string;
  created_at: number;
}

export interface ProfilesTable {
  workspace_id: string;
  id: string;
  /** anonymous | addressable | identified, or merged / deleted for tombstones. */
  status: string;
  traits: string;
  merged_into: string | null;
  created_at: number;
  updated_at: number;
}

export interface IdentitiesTable {
  workspace_id: string;
  /** anonymousId | userId | email | phone */
  kind: string;
  value: string;
  profile_id: string;
  /** Set when a newer value of the same kind replaced this one: it no longer identifies anyone, but events recorded under it keep resolving. */
  replaced_at: number | null;
  created_at: number;
}

export interface EventsTable {
  workspace_id: string;
  message_id: string;
  type: string;
  event: string | null;
  name: string | null;
  properties: string | null;
  traits: string | null;
  context: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  /** The identity the event hangs on; events resolve to profiles through identities, so merges never rewrite them. */
  source_kind: string;
  source_value: string;
  timestamp: number;
  received_at: number;
  /** Position in the request that carried it: the tiebreak for equal timestamps. */
  seq: number;
}

export interface ContactLogTable {
  workspace_id: string;
  /** UUIDv7: time-ordered, so ordering by id is ordering by time. */
  id: string;
  profile_id: string;
  type: string;
  at: number;
  details: string;
}

export interface SuppressionsTable {
  workspace_id: string;
  channel: string;
  address: string;
  reason: string;
  source: string;
  at: number;
}

export interface BounceCountsTable {
  workspace_id: string;
  channel: string;
  address: string;
  /** Hard bounces since the last lift: the address is suppressed when this reaches hardBounceThreshold. */
  hard: number;
  last_at: number;
}

export interface DevicesTable {
  workspace_id: string;
  /** The push token, or the web push subscription's endpoint. */
  token: string;
  /** ios | android (channel push) or web (channel webpush) */
  platform: string;
  /** A web push subscription as the browser gave it (`{ endpoint, keys }`), for the sender. */
  subscription: string | null;
  /** The identity the device was registered under: it resolves to a profile through identities, as events do. */
  source_kind: string;
  source_value: string;
  /** 1 or 0: disabled on logout or when the provider reports the token invalid. */
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface SegmentsTable {
  workspace_id: string;
  id: string;
  name: string;
  /** The definition as the API took it (JSON); it is planned again at every read, so windows stay relative to now. */
  definition: string;
  created_at: number;
  updated_at: number;
  /** When its stored membership was last rebuilt from the whole query; null until the first (a segment saved before live membership). */
  members_at: number | null;
}

export interface PopupRulesTable {
  workspace_id: string;
  id: string;
  /** 1 or 0: the public route serves enabled rules only. */
  enabled: number;
  /** anonymous | identified | everyone */
  audience: string;
  priority: number;
  /** The validated rule (protocol's PopupRuleInput output), the one source of its fields. */
  rule: string;
  created_at: number;
  updated_at: number;
}

export interface ImportsTable {
  workspace_id: string;
  id: string;
  /** csv | bulk */
  source: string;
  /** running | done | failed (stopped by an error or an over-cap body; the rows before it stay imported) */
  status: string;
  rows: number;
  created: number;
  matched: number;
  merged: number;
  conflicts: number;
  rejected: number;
  created_at: number;
  finished_at: number | null;
  /** How a CSV header's columns were read (`[{ name, readAs }]`); null for bulk imports and imports made before 0007. */
  columns: string | null;
}

export interface ImportRejectionsTable {
  workspace_id: string;
  import_id: string;
  /** 1-based data row (CSV: records after the header, empty lines not counted; bulk: position in `contacts`). */
  row: number;
  field: string;
  reason: string;
}

export interface WebhookEndpointsTable {
  workspace_id: string;
  id: string;
  url: string;
  description: string | null;
  /** JSON list of event types, or ["*"]. */
  events: string;
  /** `whsec_` + base64 key (Standard Webhooks). */
  secret: string;
  /** 1 or 0. */
  enabled: number;
  /** Why it was switched off: `failing` when the worker disabled it (see ARCHITECTURE.md), null when by the API. */
  disabled_reason: string | null;
  /** First failed attempt since the last success; null while it succeeds. */
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  workspace_id: string;
  /** UUIDv7, also the `webhook-id` header: ordered by creation, stable across retries. */
  id: string;
  endpoint_id: string;
  type: string;
  /** The profile the event is about: deliveries of one profile to one endpoint go out in id order. */
  profile_id: string | null;
  /** The JSON body `{ type, timestamp, data }` exactly as signed and sent. */
  body: string;
  /** pending | delivered | failed */
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  next_attempt_at: number;
  delivered_at: number | null;
  /** Set while a worker holds the delivery; a crashed worker's claim runs out at this time. */
  locked_until: number | null;
  /** 1 after a manual retry: one attempt, then failed again if it fails. */
  retry_once: number;
}

export interface WebhookAttemptsTable {
  workspace_id: string;
  delivery_id: string;
  attempt: number;
  at: number;
  /** HTTP status answered, null when none (timeout, refused connection). */
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface SegmentMembersTable {
  workspace_id: string;
  segment_id: string;
  profile_id: string;
  entered_at: number;
}

export interface AudienceDirtyTable {
  workspace_id: string;
  /** A profile to re-check against saved segments and triggers: changed since the last pass. */
  profile_id: string;
  /** Bumped by every mark, so a pass clears only the marks it has seen. */
  version: number;
}

export interface AudiencePassesTable {
  workspace_id: string;
  /** The clock of the workspace's last pass: windows that closed after it are re-checked by the next. */
  checked_at: number;
}

export interface TriggersTable {
  workspace_id: string;
  id: string;
  name: string;
  /** A segment definition (JSON). */
  condition: string;
  /** A channel, or `any`. */
  channel: string;
  /** `{ minutes | hours | days }` (JSON). */
  wait_for: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface TriggerFiringsTable {
  workspace_id: string;
  trigger_id: string;
  profile_id: string;
  /** UUIDv7: the firings list pages by it. */
  id: string;
  /** waiting | fired | expired | cancelled */
  status: string;
  matched_at: number;
  expires_at: number;
  fired_at: number | null;
  /** The events that matched, as announced (JSON list); null until fired. */
  events: string | null;
  updated_at: number;
}

export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the session cookie's token: a leaked table opens no session. */
  id: string;
  workspace_id: string;
  /** The token every changing console form carries (double submit against a session). */
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface Schema {
  segment_members: SegmentMembersTable;
  audience_dirty: AudienceDirtyTable;
  audience_passes: AudiencePassesTable;
  triggers: TriggersTable;
  trigger_firings: TriggerFiringsTable;
  workspaces: WorkspacesTable;
  profiles: ProfilesTable;
  identities: IdentitiesTable;
  events: EventsTable;
  contact_log: ContactLogTable;
  suppressions: SuppressionsTable;
  bounce_counts: BounceCountsTable;
  devices: DevicesTable;
  popup_rules: PopupRulesTable;
  segments: SegmentsTable;
  imports: ImportsTable;
  import_rejections: ImportRejectionsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  console_sessions: ConsoleSessionsTable;
}

export type Dialect = 'sqlite' | 'postgres';

/** Placeholder so `Generated` stays importable for later auto-increment columns. */
export type _Generated = Generated<number>;
