import type { JsonObject, Message } from '@threadline/protocol';

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
 * @example stamp(Date.now(), buildContext(window), uuid)
 */
export function stamp(time: number, context: JsonObject, newId: () => string): Stamp {
  return { messageId: newId(), timestamp: new Date(time).toISOString(), context };
}

/**
 * Assembles a Segment message; the body's own `userId` (alias) wins over the
 * visitor's. Fields left undefined vanish when the queue serialises the message.
 * @example buildMessage(s, { type: 'track', event: 'Product Viewed' }, 'aid-1')
 */
export function buildMessage(s: Stamp, body: MessageBody, anonymousId: string, userId?: string): Message {
  return { ...s, anonymousId, userId, ...body } as Message;
}
