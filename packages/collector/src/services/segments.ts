import * as v from 'valibot';
import { invalid, notFound } from '../domain/errors.js';
import { parseDefinition } from '../domain/segments/parse.js';
import { planSegment } from '../domain/segments/plan.js';
import { countByStatus, type ProfileFilter, type ProfileStatus } from '../repos/profiles.js';
import { segmentWhere } from '../repos/segment-sql.js';
import { deleteSegment, getSegment, insertSegment, listSegments, updateSegment, type SegmentRecord } from '../repos/segments.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';
import { listProfilesPage } from './profiles.js';
import { reachability } from './stats.js';

const Name = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'));

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function parseName(raw: unknown): string {
  const parsed = v.safeParse(Name, raw);
  if (!parsed.success) throw invalid('name', raw === undefined ? 'is required' : parsed.issues[0].message);
  return parsed.output;
}

/** The SQL condition a definition stands for at this moment (windows end now). */
export function segmentFilter(ctx: ServiceContext, definition: unknown): ProfileFilter {
  return segmentWhere(ctx.database.dialect, ctx.workspace.id, planSegment(parseDefinition(definition), ctx.now()));
}

/** Size, contacts, anonymous and reachability per channel of the profiles a filter selects (SPEC §5). */
async function audience(ctx: ServiceContext, filter: ProfileFilter) {
  const counts = await countByStatus(ctx.database.db, ctx.workspace.id, filter);
  return {
    size: counts.identified + counts.addressable + counts.anonymous,
    contacts: counts.identified + counts.addressable,
    ...counts,
    reachability: await reachability(ctx.database.db, ctx.workspace.id, filter),
  };
}

/** What a definition would select now, without saving it. */
export async function previewSegment(ctx: ServiceContext, body: unknown) {
  if (!isObject(body)) throw invalid('body', 'must be an object with a definition');
  if (body.definition === undefined) throw invalid('definition', 'is required');
  return audience(ctx, segmentFilter(ctx, body.definition));
}

const toApi = (s: SegmentRecord) => ({ id: s.id, name: s.name, definition: s.definition, createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) });

async function saved(ctx: ServiceContext, id: string): Promise<SegmentRecord> {
  const record = await getSegment(ctx.database.db, ctx.workspace.id, id);
  if (!record) throw notFound('segment');
  return record;
}

export async function createSegment(ctx: ServiceContext, body: unknown) {
  if (!isObject(body)) throw invalid('body', 'must be an object with a name and a definition');
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
  return { ...toApi(record), ...(await audience(ctx, segmentFilter(ctx, record.definition))) };
}

export async function patchSegment(ctx: ServiceContext, id: string, body: unknown) {
  if (!isObject(body)) throw invalid('body', 'must be an object with a name and/or a definition');
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
