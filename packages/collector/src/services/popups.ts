import { PopupRuleInputSchema, type PopupRule, type PopupsResponse } from '@threadline/protocol';
import * as v from 'valibot';
import { invalid, invalidFromIssues, notFound } from '../domain/errors.js';
import { isJsonObject } from '../domain/json-object.js';
import { normalizeUserId } from '../domain/normalize.js';
import { storableOrThrow } from '../domain/storable-json.js';
import { audiencesFor } from '../domain/popup-audience.js';
import type { ProfileStatus } from '../domain/status.js';
import { findOwners } from '../repos/identities.js';
import { popupStats, type PopupStats } from '../repos/popup-stats.js';
import {
  audienceKey,
  deletePopupRule,
  getPopupRule,
  insertPopupRule,
  listPopupRules,
  replacePopupRule,
  type PopupRuleBody,
  type PopupRuleRecord,
} from '../repos/popup-rules.js';
import { getProfileRecord } from '../repos/profiles.js';
import { segmentsOf } from '../repos/segment-members.js';
import { getSegment } from '../repos/segments.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';

const toApi = (r: PopupRuleRecord): PopupRule => ({ id: r.id, ...r.rule, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) });

/** Validates an admin's rule; text is kept exactly as given (the SDK renders it as text, never HTML). A segment audience must name a saved segment. */
export async function parseRule(ctx: ServiceContext, body: unknown): Promise<PopupRuleBody> {
  if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object');
  const parsed = v.safeParse(PopupRuleInputSchema, storableOrThrow(body, ''));
  if (!parsed.success) throw invalidFromIssues(parsed.issues);
  const { audience } = parsed.output;
  if (typeof audience !== 'string' && !(await getSegment(ctx.database.db, ctx.workspace.id, audience.segment)))
    throw invalid('audience.segment', 'must be the id of a saved segment');
  return parsed.output;
}

/** As the visitor's browser gets it: a segment rule reaches members only, so it says `everyone` and never names the segment. */
const toPublic = (r: PopupRuleRecord): PopupRule => {
  const rule = toApi(r);
  return typeof rule.audience === 'string' ? rule : { ...rule, audience: 'everyone' };
};

async function existing(ctx: ServiceContext, id: string): Promise<PopupRuleRecord> {
  const record = await getPopupRule(ctx.database.db, ctx.workspace.id, id);
  if (!record) throw notFound('popup');
  return record;
}

/**
 * Creates a popup rule (SPEC §6) in the request's workspace.
 *
 * @example
 * await createPopup(ctx, { name: 'Welcome', audience: 'anonymous', trigger: { type: 'pageView' }, content: { title: 'Hi' } });
 */
export async function createPopup(ctx: ServiceContext, body: unknown): Promise<PopupRule> {
  const rule = await parseRule(ctx, body);
  const id = ctx.newId();
  await insertPopupRule(ctx.database.db, ctx.workspace.id, { id, rule, now: ctx.now() });
  return toApi(await existing(ctx, id));
}

/** Replaces every field of a rule; its id and createdAt stay. Another workspace's id is not found. */
export async function replacePopup(ctx: ServiceContext, id: string, body: unknown): Promise<PopupRule> {
  const rule = await parseRule(ctx, body);
  if (!(await replacePopupRule(ctx.database.db, ctx.workspace.id, { id, rule, now: ctx.now() }))) throw notFound('popup');
  return toApi(await existing(ctx, id));
}

export async function removePopup(ctx: ServiceContext, id: string): Promise<void> {
  if (!(await deletePopupRule(ctx.database.db, ctx.workspace.id, id))) throw notFound('popup');
}

export const readPopup = async (ctx: ServiceContext, id: string): Promise<PopupRule> => toApi(await existing(ctx, id));

/** Every rule of the workspace, enabled or not, highest priority first, then oldest. */
export async function listPopups(ctx: ServiceContext): Promise<{ popups: PopupRule[] }> {
  return { popups: (await listPopupRules(ctx.database.db, ctx.workspace.id)).map(toApi) };
}

/** How a rule did: its tracked `Popup Viewed` / `Dismissed` / `Converted` events and the distinct people behind them. */
export async function popupStatsOf(ctx: ServiceContext, id: string): Promise<PopupStats> {
  await existing(ctx, id);
  return popupStats(ctx.database.db, ctx.database.dialect, ctx.workspace.id, id);
}

/**
 * The enabled rules whose audience fits the visitor behind an anonymous ID
 * (SPEC §6), highest priority first. The audience is decided here, from the
 * identity graph, because the browser cannot know it: a visitor who
 * identified on another device, or whose email arrived by import, is known
 * here only. The answer says nothing else about the visitor.
 *
 * @example
 * const { popups } = await popupsForVisitor(ctx, '3f1c…');
 */
export async function popupsForVisitor(ctx: ServiceContext, anonymousId: unknown): Promise<PopupsResponse> {
  // Trimmed and capped as the tracking API stores it (MAX_ID_LENGTH).
  const normalized = normalizeUserId(anonymousId ?? '');
  if (!normalized.ok) throw invalid('anonymousId', normalized.reason);
  const db = ctx.database.db;
  const owners = await findOwners(db, ctx.workspace.id, [{ kind: 'anonymousId', value: normalized.value }]);
  const profileId = owners.values().next().value;
  const profile = profileId === undefined ? undefined : await getProfileRecord(db, ctx.workspace.id, profileId);
  // Identities always point at a live profile (merges move them), so any
  // other stored status means the ID is as good as unknown.
  const status =
    profile && ['anonymous', 'addressable', 'identified'].includes(profile.status) ? (profile.status as ProfileStatus) : undefined;
  // Saved segments the visitor is a member of, as the audience pass last stored them.
  const segments = status && profileId ? await segmentsOf(db, ctx.workspace.id, profileId) : [];
  const audiences = [...audiencesFor(status), ...segments.map((id) => audienceKey({ segment: id }))];
  const rules = await listPopupRules(db, ctx.workspace.id, { audiences });
  return { popups: rules.map(toPublic) };
}
