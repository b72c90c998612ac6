import type { JsonObject, Message } from '@threadline/protocol';
import { buildContext } from './context.js';
import type { PageEnv } from './page-env.js';
import { uuid } from './uuid.js';

/** What is fixed at the moment of the call: identity of the message, its time and page. */
export interface Stamp {
  messageId: string;
  timestamp: string;
  context: JsonObject;
}

type Fixed = keyof Stamp | 'anonymousId' | 'sentAt';
/** The type-specific fields of a message (`event`, `properties`, `traits`, …). */
export type MessageBody = Message extends infer M ? (M extends Message ? Omit<M, Fixed> : never) : never;

/**
 * Stamps a call: a UUID v4 messageId (the collector de-duplicates on it), the
 * call time (a replayed snippet call passes its original time) and the context.
 * @example stamp(window, Date.now())
 */
export function stamp(env: PageEnv, time: number, context = buildContext(env), newId: () => string = uuid): Stamp {
  return { messageId: newId(), timestamp: new Date(time).toISOString(), context };
}

/**
 * Assembles a Segment message; the body's own `userId` (alias) wins over the visitor's.
 * @example buildMessage(s, { type: 'track', event: 'Product Viewed' }, 'aid-1')
 */
export function buildMessage(s: Stamp, body: MessageBody, anonymousId: string, userId?: string): Message {
  const m = { ...s, anonymousId, ...(userId ? { userId } : {}), ...body } as Message;
  return m;
}
