/**
 * Size limits of the tracking API. They match Segment's HTTP tracking API so a
 * client written for Segment works unchanged (SPEC §9).
 */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 2500;
/** Chromium rejects `fetch(…, { keepalive: true })` bodies past 64 KiB in flight per page (Fetch spec §4.6, "inflight keepalive bytes"). */
export const KEEPALIVE_BUDGET_BYTES = 64 * 1024;
/** Identifier strings (anonymousId, userId, messageId) are capped so one row cannot bloat an index. */
export const MAX_ID_LENGTH = 200;
export const MAX_EVENT_NAME_LENGTH = 200;
/**
 * Objects and arrays in one message nest at most this deep, the message itself
 * being the first level: `properties: { a: { b: 1 } }` is three. Deeper
 * messages are refused with their field; real event data nests a handful of
 * levels, and recursive readers of a 5,000-deep value overflow the stack.
 */
export const MAX_NESTING_DEPTH = 64;
