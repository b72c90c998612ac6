import { randomUUID } from 'node:crypto';

/**
 * Storefront-shaped tracking traffic: messages as the SDK builds them (a
 * Segment `track` with page context), built by string templates so the load
 * generator spends its CPU sending, not serialising.
 */

const CONTEXT = JSON.stringify({
  library: { name: 'threadline', version: '0.1.0' },
  page: {
    path: '/products/trail-shoe',
    referrer: 'https://www.google.com/',
    search: '',
    title: 'Trail Shoe | Shop',
    url: 'https://shop.example.com/products/trail-shoe',
  },
  locale: 'en-GB',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
});

/** `n` anonymous IDs (UUID v4, as the SDK makes them). */
export const anonymousIds = (n: number) => Array.from({ length: n }, () => randomUUID());

/** One `track` message as JSON. */
export function trackJson(anonymousId: string, messageId: string, i: number): string {
  const ts = new Date().toISOString();
  return `{"type":"track","event":"Product Viewed","properties":{"product_id":"SKU-${i % 500}","price":49.9,"currency":"EUR"},"anonymousId":"${anonymousId}","messageId":"${messageId}","timestamp":"${ts}","context":${CONTEXT}}`;
}

/** One `page` message as JSON: a visitor's first sight. */
export const pageJson = (anonymousId: string, messageId: string) =>
  `{"type":"page","properties":{"path":"/"},"anonymousId":"${anonymousId}","messageId":"${messageId}","timestamp":"${new Date().toISOString()}","context":${CONTEXT}}`;

/** An `identify` with only an email: a visitor leaving their address in a form. */
export const identifyJson = (anonymousId: string, messageId: string, email: string) =>
  `{"type":"identify","traits":{"email":"${email}","first_name":"Ana"},"anonymousId":"${anonymousId}","messageId":"${messageId}","timestamp":"${new Date().toISOString()}","context":${CONTEXT}}`;

/** A `/v1/batch` body, the write key in it as the SDK sends it. */
export const batchBody = (writeKey: string, messages: string[]) =>
  `{"batch":[${messages.join(',')}],"writeKey":"${writeKey}","sentAt":"${new Date().toISOString()}"}`;

/**
 * Message IDs as the SDK makes them (UUID v4, packages/sdk/src/core/uuid.ts;
 * analytics.js and RudderStack's SDKs send random IDs too). Until 2026-12-04
 * they were a random prefix and a counter: in order, so the bare server's
 * one index, keyed by them, only ever grew at its end, a cost no real
 * client's traffic has (at batch 100 it stored 54,054 events/s with those and
 * 23,622 with UUIDs, one run each, back to back).
 */
export const messageIds = (): (() => string) => randomUUID;

/**
 * Bodies of `size` track events from the known `visitors`, round robin, each
 * with fresh messageIds: every request stores new rows, for known people.
 */
export function trackBatches(writeKey: string, visitors: string[], size: number): () => string {
  const nextId = messageIds();
  let v = 0;
  return () => {
    const messages: string[] = [];
    for (let i = 0; i < size; i++) messages.push(trackJson(visitors[v++ % visitors.length]!, nextId(), v));
    return batchBody(writeKey, messages);
  };
}

/** Seed bodies: one `page` a visitor, `per` visitors a request. */
export function seedBodies(writeKey: string, visitors: string[], per = 250): string[] {
  const nextId = messageIds();
  const bodies: string[] = [];
  for (let i = 0; i < visitors.length; i += per)
    bodies.push(
      batchBody(
        writeKey,
        visitors.slice(i, i + per).map((a) => pageJson(a, nextId())),
      ),
    );
  return bodies;
}

/** Bodies of one identify each: the next visitor of `visitors` (fresh ones when none is given) leaves a new email. */
export function identifyBodies(writeKey: string, visitors?: string[]): () => string {
  const nextId = messageIds();
  let i = 0;
  return () => {
    const aid = visitors ? visitors[i % visitors.length]! : anonymousIds(1)[0]!;
    return batchBody(writeKey, [identifyJson(aid, nextId(), `visitor-${i++}-${nextId()}@bench.example`)]);
  };
}
