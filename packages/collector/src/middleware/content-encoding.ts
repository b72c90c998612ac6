import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { bodyTooLarge, DomainError } from '../domain/errors.js';

type Inflate = (body: Buffer, options: ZlibOptions) => Buffer;

/**
 * HTTP `deflate` is the zlib format (RFC 9110 §8.4.1.2), but some clients send
 * raw deflate data; both are read, zlib first.
 */
const inflateEither: Inflate = (body, options) => {
  try {
    return inflateSync(body, options);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw err;
    return inflateRawSync(body, options);
  }
};

const DECODERS: Record<string, Inflate> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateEither,
  br: brotliDecompressSync,
};

/** The codings a request body may carry, for error messages and docs. */
export const SUPPORTED_ENCODINGS = ['identity', ...Object.keys(DECODERS)];

/**
 * The codings of a `Content-Encoding` header in the order they were applied; identity and empty entries dropped.
 * @example parseContentEncoding('GZIP, identity') // → ['gzip']
 */
export function parseContentEncoding(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && s !== 'identity');
}

/**
 * Undoes the codings of a request body, refusing with 413 as soon as the
 * decoded size passes `limit`: zlib stops inflating at `maxOutputLength`, so a
 * zip bomb costs at most `limit` bytes of memory and the time to inflate them.
 *
 * @example decodeBody(gzipped, ['gzip'], 500 * 1024) // → the JSON text's bytes
 */
export function decodeBody(body: Buffer, codings: string[], limit: number): Buffer {
  let out = body;
  // Codings are listed in the order applied, so they are undone last first.
  for (const coding of [...codings].reverse()) {
    const decode = DECODERS[coding];
    if (!decode) {
      throw new DomainError(
        'unsupported_encoding',
        `headers.content-encoding: "${coding}" is not supported (use ${SUPPORTED_ENCODINGS.join(', ')})`,
        415,
        'headers.content-encoding',
      );
    }
    try {
      out = decode(out, { maxOutputLength: limit });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw bodyTooLarge(limit);
      throw new DomainError('invalid_encoding', `body: is not valid ${coding} data`, 400, 'body');
    }
  }
  return out;
}
