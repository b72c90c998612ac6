import { createMiddleware } from 'hono/factory';
import { bodyTooLarge, DomainError } from '../domain/errors.js';
import type { AppEnv } from '../env.js';

/**
 * Reads a JSON body of at most `limit` bytes whatever its content type:
 * browsers send `text/plain` so the request stays CORS-simple (no preflight),
 * and beacons cannot set a type at all. Oversized bodies are refused with 413
 * before they are read in full.
 */
export const jsonBody = (limit: number) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > limit) throw bodyTooLarge(limit);
    // With a declared length (every fetch and beacon sends one) the server
    // never reads past it, so the body is read in one call; only a chunked
    // body is read piece by piece against the limit.
    const text = Number.isFinite(declared) ? await c.req.text() : await readCapped(c.req.raw, limit);
    c.set('bodyBytes', Number.isFinite(declared) ? declared : Buffer.byteLength(text));
    try {
      c.set('body', JSON.parse(text));
    } catch {
      throw new DomainError('invalid_json', 'body: must be JSON', 400, 'body');
    }
    await next();
  });

async function readCapped(req: Request, limit: number): Promise<string> {
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
  return Buffer.concat(chunks).toString('utf8');
}
