import { invalid, notFound } from '../domain/errors.js';
import { parseTrigger, type TriggerInput } from '../domain/triggers/parse-trigger.js';
import { listFirings, type FiringRecord } from '../repos/trigger-firings.js';
import { deleteTrigger, getTrigger, insertTrigger, listTriggers, updateTrigger, type TriggerRecord } from '../repos/triggers.js';
import { settleAudiences } from './audience-pass.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';
import { afterImportChunks } from './after-import-chunks.js';

const toApi = (t: TriggerRecord) => ({
  id: t.id,
  name: t.name,
  condition: t.condition,
  channel: t.channel,
  waitFor: t.waitFor,
  enabled: t.enabled,
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});

const firingToApi = (f: FiringRecord) => ({
  id: f.id,
  triggerId: f.triggerId,
  profileId: f.profileId,
  status: f.status,
  matchedAt: iso(f.matchedAt),
  expiresAt: iso(f.expiresAt),
  firedAt: f.firedAt === null ? null : iso(f.firedAt),
  events: f.events ?? [],
});

async function existing(ctx: ServiceContext, id: string): Promise<TriggerRecord> {
  const t = await getTrigger(ctx.database.db, ctx.workspace.id, id);
  if (!t) throw notFound('trigger');
  return t;
}

/**
 * Creates a trigger (SPEC §9). It watches profiles that change from now on:
 * who matched before it existed is not fired retroactively.
 *
 * @example
 * await createTrigger(ctx, { name: 'Cart', condition: { event: 'Product Added', within: { hours: 4 } }, channel: 'email', waitFor: { hours: 72 } });
 */
export async function createTrigger(ctx: ServiceContext, body: unknown) {
  const input = parseTrigger(body, false) as TriggerInput;
  const id = ctx.newId();
  await afterImportChunks(ctx, (trx) => insertTrigger(trx, ctx.workspace.id, { id, ...input, now: ctx.now() }));
  return toApi(await existing(ctx, id));
}

export async function listTriggersApi(ctx: ServiceContext) {
  return { triggers: (await listTriggers(ctx.database.db, ctx.workspace.id)).map(toApi) };
}

export const readTrigger = async (ctx: ServiceContext, id: string) => toApi(await existing(ctx, id));

/** Changes any field; firings so far stay (a profile that fired does not fire again). */
export async function patchTrigger(ctx: ServiceContext, id: string, body: unknown) {
  const patch = parseTrigger(body, true);
  if (!(await afterImportChunks(ctx, (trx) => updateTrigger(trx, ctx.workspace.id, id, { ...patch, now: ctx.now() }))))
    throw notFound('trigger');
  return toApi(await existing(ctx, id));
}

export async function removeTrigger(ctx: ServiceContext, id: string): Promise<void> {
  if (!(await deleteTrigger(ctx.database.db, ctx.workspace.id, id))) throw notFound('trigger');
}

/**
 * A trigger's firings (waiting, fired, expired, cancelled), oldest first, a
 * page at a time; `next` is the `after` of the next page. The first page
 * settles pending changes first.
 */
export async function triggerFirings(ctx: ServiceContext, id: string, q: { after?: string; limit: number }) {
  await existing(ctx, id);
  if (q.after !== undefined && !q.after) throw invalid('after', 'must be the `next` of a previous page');
  if (q.after === undefined) await settleAudiences(ctx);
  const page = await listFirings(ctx.database.db, ctx.workspace.id, id, q);
  return { firings: page.map(firingToApi), next: page.length === q.limit ? (page.at(-1)?.id ?? null) : null };
}
