import type { IncomingMessage } from 'node:http';
import { createMiddleware } from 'hono/factory';
import { bodyTooLarge, DomainError } from '../domain/errors.js';
import type { AppEnv } from '../env.js';
import { decodeBody, parseContentEncoding } from './content-encoding.js';
import { nodeIncoming, requestHeader } from './node-request.js';

/**
 * Reads a JSON body of at most `limit` bytes whatever its content type:
 * browsers send `text/plain` so the request stays CORS-simple (no preflight),
 * and beacons cannot set a type at all. A `Content-Encoding` of gzip or
 * deflate (RudderStack's Node SDK gzips by default) is undone, and the limit
 * applies to the decoded body, so a zip bomb is a 413. Oversized bodies are
 * refused before they are read or inflated in full.
 *
 * @example app.post('/batch', jsonBody(MAX_BATCH_BYTES), (c) => c.json(c.get('body')));
 */
export const jsonBody = (limit: number) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const codings = parseContentEncoding(requestHeader(c, 'content-encoding'));
    const declared = Number(requestHeader(c, 'content-length') ?? NaN);
    // A compressed body is never larger than what it decodes to by more than
    // its framing, so the sent size is held to the same limit.
    if (declared > limit) throw bodyTooLarge(limit);
    // With a declared length (every fetch and beacon sends one) the server
    // never reads past it, so the body is read in one call; only a chunked
    // body is read piece by piece against the limit.
    // Under @hono/node-server the Node request is read directly: going through
    // `c.req` builds a whole fetch Request and its web stream for the body,
    // which cost more than the rest of a one-message request's parsing.
    const incoming = nodeIncoming(c);
    const raw = incoming
      ? await readIncoming(incoming, limit)
      : Number.isFinite(declared)
        ? Buffer.from(await c.req.arrayBuffer())
        : await readCapped(c.req.raw, limit);
    const bytes = codings.length ? decodeBody(raw, codings, limit) : raw;
    // The decoded size: what the per-message limits are measured against.
    c.set('bodyBytes', bytes.byteLength);
    try {
      c.set('body', JSON.parse(bytes.toString('utf8')));
    } catch {
      throw new DomainError('invalid_json', 'body: must be JSON', 400, 'body');
    }
    await next();
  });

async function readCapped(req: Request, limit: number): Promise<Buffer> {
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader?.read(); r && !r.done; r = await reader!.read()) {
    size += r.value.byteLength;
    if (size > limit) {
      await reader!.cancel();
      throw bodyTooLarge(limit);
    }
    chunks.push(r.value);
  }
  return Buffer.concat(chunks);
}

/**
 * The Node request's body, refused as soon as it passes `limit` (the rest is
 * drained by the server after the answer). Its 'data', 'end' and 'close'
 * listeners go once it is settled: every request ends in 'close', and the
 * rejection built there after the body had arrived cost an `Error` and its
 * stack each time. The 'error' listener stays, so a late socket error is
 * never an unhandled 'error' event.
 */
export function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => incoming.off('data', onData).off('end', onEnd).off('close', onClose);
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) return void chunks.push(chunk);
      settle();
      reject(bodyTooLarge(limit));
    };
    const onEnd = () => {
      settle();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    // A connection cut mid-body (the body timeout, a client gone) ends in
    // 'close' without 'end': the read fails rather than wait for ever.
    const onClose = () => {
      settle();
      reject(new Error('body: the connection closed before the body arrived'));
    };
    incoming.on('data', onData).once('end', onEnd).once('error', reject).once('close', onClose);
  });
}
