import type { PopupRule, PopupRuleAudience } from '@threadline/protocol';
import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';

/** A rule's fields as the admin sent them, after validation: everything but the collector's id and times. */
export type PopupRuleBody = Omit<PopupRule, 'id' | 'createdAt' | 'updatedAt'>;

export interface PopupRuleRecord {
  id: string;
  rule: PopupRuleBody;
  createdAt: number;
  updatedAt: number;
}

type Row = { id: string; rule: unknown; created_at: number; updated_at: number };

const toRecord = (r: Row): PopupRuleRecord => ({
  id: r.id,
  rule: parseJson(r.rule, {} as PopupRuleBody),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The audience column: the status audience, or `segment:<id>` for a saved segment's members. */
export const audienceKey = (a: PopupRuleAudience): string => (typeof a === 'string' ? a : `segment:${a.segment}`);

/** The columns the public route filters and sorts on, always derived from the rule itself. */
const columns = (rule: PopupRuleBody) => ({
  enabled: rule.enabled ? 1 : 0,
  audience: audienceKey(rule.audience),
  priority: rule.priority,
  rule: toJson(rule),
});

export async function insertPopupRule(db: Db, workspaceId: string, r: { id: string; rule: PopupRuleBody; now: number }): Promise<void> {
  await db
    .insertInto('popup_rules')
    .values({ workspace_id: workspaceId, id: r.id, ...columns(r.rule), created_at: r.now, updated_at: r.now })
    .execute();
}

/** Replaces a rule's fields; answers false when the workspace has no rule with that id. */
export async function replacePopupRule(db: Db, workspaceId: string, r: { id: string; rule: PopupRuleBody; now: number }): Promise<boolean> {
  const result = await db
    .updateTable('popup_rules')
    .set({ ...columns(r.rule), updated_at: r.now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', r.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deletePopupRule(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('popup_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function getPopupRule(db: Db, workspaceId: string, id: string): Promise<PopupRuleRecord | undefined> {
  const row = await db
    .selectFrom('popup_rules')
    .select(['id', 'rule', 'created_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRecord(row);
}

/**
 * A workspace's rules, highest priority first, then oldest first (id breaks
 * ties of the same millisecond). `serving` narrows to the enabled rules for
 * the given audiences, as the public route answers them.
 */
export async function listPopupRules(db: Db, workspaceId: string, serving?: { audiences: readonly string[] }): Promise<PopupRuleRecord[]> {
  let query = db.selectFrom('popup_rules').select(['id', 'rule', 'created_at', 'updated_at']).where('workspace_id', '=', workspaceId);
  if (serving) query = query.where('enabled', '=', 1).where('audience', 'in', [...serving.audiences]);
  const rows = await query.orderBy('priority', 'desc').orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}
