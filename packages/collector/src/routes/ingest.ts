import { Hono } from 'hono';
import { isIsoDate, MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, MAX_MESSAGE_BYTES, type MessageType } from '@threadline/protocol';
import { DomainError } from '../domain/errors.js';
import { isJsonObject } from '../domain/json-object.js';
import type { AppEnv, RouteDeps } from '../env.js';
import { jsonBody } from '../middleware/json-body.js';
import { writeKey } from '../middleware/keys.js';
import { requestTurns } from '../middleware/request-turns.js';
import { ingest } from '../services/ingest.js';
import { serviceContext } from './service-context.js';

/**
 * Single-message endpoints, with the short paths Segment's own clients post
 * to: analytics-next sends each call to `/v1/` + the first letter of its type.
 */
const SINGLE: ReadonlyArray<[MessageType, string[]]> = [
  ['track', ['track', 't']],
  ['identify', ['identify', 'i']],
  ['page', ['page', 'p']],
  ['screen', ['screen', 's']],
  ['group', ['group', 'g']],
  ['alias', ['alias', 'a']],
];

/**
 * The tracking API (SPEC §9), shaped like Segment's so its clients work
 * unchanged. Open to any storefront origin (`openCors`, mounted on `/v1/*`
 * in app.ts).
 */
export function ingestRoutes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  // One turn of the event loop a request, on PostgreSQL: its answers to requests in flight are read first.
  const inTurn = requestTurns(deps.database.dialect);
  app.on('POST', ['/batch', '/b'], inTurn, jsonBody(MAX_BATCH_BYTES), writeKey(deps.workspaces), async (c) => {
    const body = c.get('body') as { batch?: unknown; sentAt?: unknown; context?: unknown };
    if (!Array.isArray(body?.batch)) throw new DomainError('invalid_request', 'batch: must be an array of messages', 400, 'batch');
    if (body.batch.length > MAX_BATCH_MESSAGES) {
      throw new DomainError('payload_too_large', `batch: must hold at most ${MAX_BATCH_MESSAGES} messages`, 413, 'batch');
    }
    const result = await ingest(serviceContext(c, deps), body.batch, {
      verified: c.get('verified'),
      batchSentAt: typeof body.sentAt === 'string' && isIsoDate(body.sentAt) ? body.sentAt : undefined,
      receivedAt: deps.now(),
      requestBytes: c.get('bodyBytes'),
    });
    return c.json(result);
  });

  for (const [type, paths] of SINGLE) {
    app.on(
      'POST',
      paths.map((p) => `/${p}`),
      inTurn,
      jsonBody(MAX_MESSAGE_BYTES),
      writeKey(deps.workspaces),
      async (c) => {
        const body = c.get('body');
        if (!isJsonObject(body)) throw new DomainError('invalid_request', 'body: must be a JSON object', 400, 'body');
        const { writeKey: _key, ...message } = body;
        const result = await ingest(serviceContext(c, deps), [{ ...message, type }], {
          verified: c.get('verified'),
          receivedAt: deps.now(),
          requestBytes: c.get('bodyBytes'),
        });
        const rejected = result.rejected[0];
        if (rejected) throw new DomainError('invalid_message', `${rejected.field}: ${rejected.reason}`, 400, rejected.field);
        return c.json(result);
      },
    );
  }
  return app;
}
