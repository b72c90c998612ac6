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

/** A condition on the profile row `p` that keeps the segment's members (for lists and reports). */
export const segmentFilter = (ctx: ServiceContext, definition: unknown): ProfileFilter =>
  sql<SqlBool>`p.id in (select id from (${members(ctx, definition)}) m)`;

/** Size, contacts, anonymous and reachability per channel of a segment (SPEC §5), in one statement. */
async function audience(ctx: ServiceContext, definition: unknown) {
  const { counts, reachability } = await audienceCounts(ctx.database.db, ctx.workspace.id, members(ctx, definition));
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
  return audience(ctx, body.definition);
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
  await insertSegment(ctx.database.db, ctx.workspace.id, { id, name, definition, now: ctx.now() });
  return toApi(await saved(ctx, id));
}

export async function listSavedSegments(ctx: ServiceContext) {
  return { segments: (await listSegments(ctx.database.db, ctx.workspace.id)).map(toApi) };
}

/** A saved segment with its live size and reachability. */
export async function readSegment(ctx: ServiceContext, id: string) {
  const record = await saved(ctx, id);
  return { ...toApi(record), ...(await audience(ctx, record.definition)) };
}

export async function patchSegment(ctx: ServiceContext, id: string, body: unknown) {
  if (!isJsonObject(body)) throw invalid('body', 'must be an object with a name and/or a definition');
  const unknownField = Object.keys(body).find((k) => k !== 'name' && k !== 'definition');
  if (unknownField) throw invalid(unknownField, 'is not a field of a segment (name, definition)');
  const name = body.name === undefined ? undefined : parseName(body.name);
  const definition = body.definition === undefined ? undefined : parseDefinition(body.definition);
  if (!(await updateSegment(ctx.database.db, ctx.workspace.id, id, { name, definition, now: ctx.now() }))) throw notFound('segment');
  return toApi(await saved(ctx, id));
}

export async function removeSegment(ctx: ServiceContext, id: string): Promise<void> {
  if (!(await deleteSegment(ctx.database.db, ctx.workspace.id, id))) throw notFound('segment');
}

/** The segment's members, a page at a time, in the profile shape of GET /api/profiles. */
export async function segmentProfiles(ctx: ServiceContext, id: string, q: { status?: ProfileStatus; limit: number; after?: string }) {
  const record = await saved(ctx, id);
  return listProfilesPage(ctx, { ...q, filter: segmentFilter(ctx, record.definition) });
}
