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

export interface SegmentsTable {
  workspace_id: string;
  id: string;
  name: string;
  /** The definition as the API took it (JSON); it is planned again at every read, so windows stay relative to now. */
  definition: string;
  created_at: number;
  updated_at: number;
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
}

export interface ImportRejectionsTable {
  workspace_id: string;
  import_id: string;
  /** 1-based data row (CSV: records after the header, empty lines not counted; bulk: position in `contacts`). */
  row: number;
  field: string;
  reason: string;
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
  workspaces: WorkspacesTable;
  profiles: ProfilesTable;
  identities: IdentitiesTable;
  events: EventsTable;
  contact_log: ContactLogTable;
  suppressions: SuppressionsTable;
  popup_rules: PopupRulesTable;
  segments: SegmentsTable;
  imports: ImportsTable;
  import_rejections: ImportRejectionsTable;
  console_sessions: ConsoleSessionsTable;
}

export type Dialect = 'sqlite' | 'postgres';

/** Placeholder so `Generated` stays importable for later auto-increment columns. */
export type _Generated = Generated<number>;
