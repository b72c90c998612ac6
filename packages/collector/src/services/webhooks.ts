import { randomBytes } from 'node:crypto';
import { invalid, notFound } from '../domain/errors.js';
import { parseEndpointInput, parseEndpointPatch } from '../domain/webhooks/endpoint-input.js';
import { getDelivery, listDeliveries, retryDelivery, type DeliveryRecord } from '../repos/webhook-deliveries.js';
import {
  deleteEndpoint,
  getEndpoint,
  insertEndpoint,
  listEndpoints,
  updateEndpoint,
  type EndpointRecord,
} from '../repos/webhook-endpoints.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';

/** A signing secret as Standard Webhooks spells it: `whsec_` + base64 of a random 24-byte key. */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const toApi = (e: EndpointRecord) => ({
  id: e.id,
  url: e.url,
  events: e.events,
  description: e.description,
  secret: e.secret,
  enabled: e.enabled,
  /** `failing` when the worker switched it off (see ARCHITECTURE.md "Webhooks"). */
  disabledReason: e.disabledReason,
  createdAt: iso(e.createdAt),
  updatedAt: iso(e.updatedAt),
});

const toApiDelivery = (d: DeliveryRecord) => ({
  id: d.id,
  type: d.type,
  profileId: d.profileId,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  createdAt: iso(d.createdAt),
  deliveredAt: d.deliveredAt === null ? null : iso(d.deliveredAt),
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
});

async function existing(ctx: ServiceContext, id: string): Promise<EndpointRecord> {
  const endpoint = await getEndpoint(ctx.database.db, ctx.workspace.id, id);
  if (!endpoint) throw notFound('webhook endpoint');
  return endpoint;
}

/**
 * POST /api/webhooks (SPEC §9): a new enabled endpoint with its signing secret.
 *
 * @example
 * await createEndpoint(ctx, { url: 'https://hooks.example.com/t', events: ['*'] }) // → { id, url, events: ['*'], secret: 'whsec_…', enabled: true, … }
 */
export async function createEndpoint(ctx: ServiceContext, body: unknown) {
  const input = parseEndpointInput(body);
  const now = ctx.now();
  const record = { id: ctx.newId(), ...input, secret: newSecret(), enabled: true, createdAt: now, updatedAt: now };
  await insertEndpoint(ctx.database.db, ctx.workspace.id, record);
  return toApi({ ...record, disabledReason: null, failingSince: null });
}

/**
 * GET /api/webhooks: every endpoint of the workspace, oldest first.
 *
 * @example
 * await listWebhookEndpoints(ctx) // → { webhooks: [{ id, url, events, secret, enabled, … }] }
 */
export async function listWebhookEndpoints(ctx: ServiceContext) {
  return { webhooks: (await listEndpoints(ctx.database.db, ctx.workspace.id)).map(toApi) };
}

/**
 * GET /api/webhooks/:id; 404 when there is none.
 *
 * @example
 * await readEndpoint(ctx, id) // → { id, url, events, secret, enabled: true, disabledReason: null, … }
 */
export const readEndpoint = async (ctx: ServiceContext, id: string) => toApi(await existing(ctx, id));

/**
 * PATCH: url, events, description, enabled; enabling again forgets past failures.
 *
 * @example
 * await patchEndpoint(ctx, id, { enabled: true }) // → { …, enabled: true, disabledReason: null }
 */
export async function patchEndpoint(ctx: ServiceContext, id: string, body: unknown) {
  await existing(ctx, id);
  const patch = parseEndpointPatch(body);
  await updateEndpoint(ctx.database.db, ctx.workspace.id, id, { ...patch, now: ctx.now() });
  return readEndpoint(ctx, id);
}

/**
 * DELETE: the endpoint, its deliveries and their attempts.
 *
 * @example
 * await removeEndpoint(ctx, id);
 */
export async function removeEndpoint(ctx: ServiceContext, id: string): Promise<void> {
  await existing(ctx, id);
  await ctx.database.db.transaction().execute((trx) => deleteEndpoint(trx, ctx.workspace.id, id));
}

/**
 * GET /api/webhooks/:id/deliveries: oldest first, `next` the cursor of the following page (null on the last).
 *
 * @example
 * await endpointDeliveries(ctx, id, undefined, 100) // → { deliveries: [{ id, type, status: 'delivered', attempts: 1, … }], next: null }
 */
export async function endpointDeliveries(ctx: ServiceContext, id: string, after: string | undefined, limit: number) {
  await existing(ctx, id);
  if (after !== undefined && !after) throw invalid('after', 'must be the `next` cursor of a previous page');
  const rows = await listDeliveries(ctx.database.db, ctx.workspace.id, id, after, limit + 1);
  const page = rows.slice(0, limit);
  return { deliveries: page.map(toApiDelivery), next: rows.length > limit ? page.at(-1)!.id : null };
}

/**
 * POST …/deliveries/:deliveryId/retry: sends it again (same webhook-id and body) as soon as the worker next looks.
 *
 * @example
 * await retryEndpointDelivery(ctx, id, deliveryId) // → { id: deliveryId, status: 'pending', nextAttemptAt: now, … }
 */
export async function retryEndpointDelivery(ctx: ServiceContext, id: string, deliveryId: string) {
  await existing(ctx, id);
  const ws = ctx.workspace.id;
  if (!(await getDelivery(ctx.database.db, ws, id, deliveryId))) throw notFound('delivery');
  await retryDelivery(ctx.database.db, ws, deliveryId, ctx.now());
  return toApiDelivery((await getDelivery(ctx.database.db, ws, id, deliveryId))!);
}
