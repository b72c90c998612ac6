import { sql, type SqlBool } from 'kysely';
import * as v from 'valibot';
import { invalid, notFound } from '../domain/errors.js';
import { isJsonObject } from '../domain/json-object.js';
import { parseDefinition } from '../domain/segments/parse.js';
import { planSegment } from '../domain/segments/plan.js';
import { storableOrThrow } from '../domain/storable-json.js';
import type { ProfileFilter, ProfileStatus } from '../repos/profiles.js';
import { audienceCounts } from '../repos/reachability.js';
import { segmentMembers, segmentSql } from '../repos/segment-sql.js';
import { deleteSegment, getSegment, insertSegment, listSegments, updateSegment, type SegmentRecord } from '../repos/segments.js';
import { dropMembers, memberRows } from '../repos/segment-members.js';
import { settleAudiences } from './audience-pass.js';
import { rebuildMembers } from './segment-upkeep.js';
import { afterImportChunks } from './after-import-chunks.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';
import { listProfilesPage } from './profiles.js';

const Name = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'must be at most 200 characters'),
);

function parseName(raw: unknown): string {
  const parsed = v.safeParse(Name, storableOrThrow(raw, 'name'));
  if (!parsed.success) throw invalid('name', raw === undefined ? 'is required' : parsed.issues[0].message);
  return parsed.output;
}

/** The segment's members as SQL rows `(id, status)` at this moment (windows end now). */
const members = (ctx: ServiceContext, definition: unknown) =>
  segmentMembers(ctx.workspace.id, segmentSql(ctx.database.dialect, ctx.workspace.id, planSegment(parseDefinition(definition), ctx.now())));

/**
 * A condition on the profile row `p` that keeps a saved segment's stored
 * members (for lists and reports): the membership the audience pass keeps,
 * not the query run again per page.
 */
export const segmentFilter = (ctx: ServiceContext, segmentId: string): ProfileFilter =>
  sql<SqlBool>`p.id in (select profile_id from segment_members where workspace_id = ${ctx.workspace.id} and segment_id = ${segmentId})`;

/** Size, contacts, anonymous and reachability per channel of a definition now, or of a saved segment's membership. */
async function audience(ctx: ServiceContext, of: { definition: unknown } | { segmentId: string }) {
  const rows = 'segmentId' in of ? memberRows(ctx.workspace.id, of.segmentId) : members(ctx, of.definition);
  const { counts, reachability } = await audienceCounts(ctx.database.db, ctx.workspace.id, ctx.workspace.settings.blockList, rows);
  return {
    size: counts.identified + counts.addressable + counts.anonymous,
    contacts: counts.identified + counts.addressable,
    ...counts,
    reachability,
  };
}

/** What a definition would select now, without saving it. */
export async function previewSegment(ctx: ServiceContext, body: unknown) {
  if (!isJsonObject(body)) throw invalid('body', 'must be an object with a definition');
  if (body.definition === undefined) throw invalid('definition', 'is required');
  return audience(ctx, { definition: body.definition });
}

const toApi = (s: SegmentRecord) => ({
  id: s.id,
  name: s.name,
  definition: s.definition,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

async function saved(ctx: ServiceContext, id: string): Promise<SegmentRecord> {
  const record = await getSegment(ctx.database.db, ctx.workspace.id, id);
  if (!record) throw notFound('segment');
  return record;
}

export async function createSegment(ctx: ServiceContext, body: unknown) {
  if (!isJsonObject(body)) throw invalid('body', 'must be an object with a name and a definition');
  const name = parseName(body.name);
  if (body.definition === undefined) throw invalid('definition', 'is required');
  const definition = parseDefinition(body.definition);
  const id = ctx.newId();
  await afterImportChunks(ctx, async (trx) => {
    await insertSegment(trx, ctx.workspace.id, { id, name, definition, now: ctx.now() });
    // The starting membership is taken as it is, unannounced: only later changes enter or exit.
    await rebuildMembers(trx, ctx, id, definition);
  });
  return toApi(await saved(ctx, id));
}

export async function listSavedSegments(ctx: ServiceContext) {
  return { segments: (await listSegments(ctx.database.db, ctx.workspace.id)).map(toApi) };
}

/** A saved segment with its size and reachability, from its membership brought up to date first. */
export async function readSegment(ctx: ServiceContext, id: string) {
  const record = await saved(ctx, id);
  await settleAudiences(ctx);
  return { ...toApi(record), ...(await audience(ctx, { segmentId: id })) };
}

export async function patchSegment(ctx: ServiceContext, id: string, body: unknown) {
  if (!isJsonObject(body)) throw invalid('body', 'must be an object with a name and/or a definition');
  const unknownField = Object.keys(body).find((k) => k !== 'name' && k !== 'definition');
  if (unknownField) throw invalid(unknownField, 'is not a field of a segment (name, definition)');
  const name = body.name === undefined ? undefined : parseName(body.name);
  const definition = body.definition === undefined ? undefined : parseDefinition(body.definition);
  const found = await afterImportChunks(ctx, async (trx) => {
    if (!(await updateSegment(trx, ctx.workspace.id, id, { name, definition, now: ctx.now() }))) return false;
    // A new definition starts a new membership, unannounced, as a new segment does.
    if (definition) await rebuildMembers(trx, ctx, id, definition);
    return true;
  });
  if (!found) throw notFound('segment');
  return toApi(await saved(ctx, id));
}

export async function removeSegment(ctx: ServiceContext, id: string): Promise<void> {
  const found = await ctx.database.db.transaction().execute(async (trx) => {
    await dropMembers(trx, ctx.workspace.id, id);
    return deleteSegment(trx, ctx.workspace.id, id);
  });
  if (!found) throw notFound('segment');
}

/**
 * The segment's stored members, a page at a time, in the profile shape of
 * GET /api/profiles. The first page settles pending changes first, so a
 * reader sees its own writes; later pages read the membership only.
 */
export async function segmentProfiles(ctx: ServiceContext, id: string, q: { status?: ProfileStatus; limit: number; after?: string }) {
  await saved(ctx, id);
  if (q.after === undefined) await settleAudiences(ctx);
  return listProfilesPage(ctx, { ...q, filter: segmentFilter(ctx, id) });
}
