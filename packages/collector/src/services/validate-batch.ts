import { MAX_MESSAGE_BYTES, parseMessage, type ParsedMessage, type RejectedMessage } from '@threadline/protocol';
import { jsonLargerThan, storableJson } from '../domain/storable-json.js';

/** A valid message with its messageId, the client's or one made here as Segment's API does. */
export type Identified = ParsedMessage & { messageId: string };

const messageIdOf = (raw: unknown) =>
  raw && typeof raw === 'object' && typeof (raw as { messageId?: unknown }).messageId === 'string'
    ? (raw as { messageId: string }).messageId
    : undefined;

/**
 * Splits a batch into valid messages (with their index in the request) and
 * rejections naming the field at fault (SPEC §9: one bad message never costs
 * the others). Each message is first made storable on both stores (lone
 * surrogates → U+FFFD; a NUL or nesting past the limit rejects it), then
 * measured as sent, Segment's rule: a request no larger than the
 * per-message limit skips re-serialising its messages, and so does a message
 * the storable walk's byte bound already puts under it (jsonLargerThan).
 * `pause` is awaited before each message, so a big batch yields to the event loop.
 * @example const { valid, rejected } = await validateBatch(body.batch, randomUUID, bodyBytes, createPause());
 */
export async function validateBatch(messages: unknown[], newId: () => string, requestBytes = Infinity, pause?: () => Promise<void>) {
  const rejected: RejectedMessage[] = [];
  const valid: Array<{ index: number; message: Identified }> = [];
  const measure = requestBytes > MAX_MESSAGE_BYTES;
  for (const [index, sent] of messages.entries()) {
    await pause?.();
    const storable = storableJson(sent);
    if (!storable.ok) {
      rejected.push({ index, messageId: messageIdOf(sent), field: storable.field, reason: storable.reason });
      continue;
    }
    const raw = storable.value;
    const messageId = messageIdOf(raw);
    if (measure && jsonLargerThan(storable, MAX_MESSAGE_BYTES)) {
      rejected.push({ index, messageId, field: '(message)', reason: `is larger than ${MAX_MESSAGE_BYTES / 1024} KB` });
      continue;
    }
    const parsed = parseMessage(raw);
    if (parsed.ok) valid.push({ index, message: { ...parsed.message, messageId: parsed.message.messageId ?? newId() } });
    else rejected.push({ index, messageId, field: parsed.field, reason: parsed.reason });
  }
  return { valid, rejected };
}
