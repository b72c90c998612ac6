import { POPUP_EVENTS } from '@threadline/protocol';
import { sql } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { Db } from './db.js';

export interface PopupStats {
  viewed: number;
  dismissed: number;
  converted: number;
  /** Distinct people (profiles, so a visitor who identified and merged counts once) with any of the three events. */
  visitors: number;
}

/**
 * Counts the tracked popup events (SPEC §6) whose `properties.popupId` is the
 * rule's id. Events reach people through the identities they were recorded
 * under, as timelines do, so merges are counted without rewriting events.
 */
export async function popupStats(db: Db, dialect: Dialect, workspaceId: string, popupId: string): Promise<PopupStats> {
  const popupIdOf = dialect === 'postgres' ? sql<string>`e.properties->>'popupId'` : sql<string>`json_extract(e.properties, '$.popupId')`;
  const row = await db
    .selectFrom('events as e')
    .leftJoin('identities as i', (j) =>
      j.onRef('i.workspace_id', '=', 'e.workspace_id').onRef('i.kind', '=', 'e.source_kind').onRef('i.value', '=', 'e.source_value'),
    )
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('e.event', '=', POPUP_EVENTS.viewed).then(1).else(0).end()).as('viewed'),
      eb.fn.sum<number>(eb.case().when('e.event', '=', POPUP_EVENTS.dismissed).then(1).else(0).end()).as('dismissed'),
      eb.fn.sum<number>(eb.case().when('e.event', '=', POPUP_EVENTS.converted).then(1).else(0).end()).as('converted'),
      eb.fn.count<number>('i.profile_id').distinct().as('visitors'),
    ])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.type', '=', 'track')
    .where('e.event', 'in', Object.values(POPUP_EVENTS))
    .where(popupIdOf, '=', popupId)
    .executeTakeFirst();
  // PostgreSQL answers sums as numeric strings, and null over no rows.
  return {
    viewed: Number(row?.viewed ?? 0),
    dismissed: Number(row?.dismissed ?? 0),
    converted: Number(row?.converted ?? 0),
    visitors: Number(row?.visitors ?? 0),
  };
}
