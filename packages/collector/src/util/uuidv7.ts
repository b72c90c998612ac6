import { randomFillSync } from 'node:crypto';

let last = 0;
// Random bytes drawn 4 KiB at a time: one system call per 512 ids instead of one each (a bulk import makes several ids a row).
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;
/** The offset in `pool` of 8 fresh random bytes. */
function random8(): number {
  if (used + 8 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 8;
  return used - 8;
}
let seq = 0;
/** Two hex digits a byte: an id is spelled from 16 lookups (an import makes several ids a row). */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUIDv7 (RFC 9562 §5.7): 48 bits of milliseconds then random bits, so ids
 * sort by creation time. Within one millisecond a counter in the random
 * field keeps ids from this process in order.
 */
export function uuidv7(now = Date.now()): string {
  seq = now <= last ? seq + 1 : 0;
  last = Math.max(now, last);
  // Past 4,096 ids in one millisecond the clock field moves on a millisecond (RFC 9562 §6.2, method 1), so order still holds.
  if (seq > 0xfff) {
    last++;
    seq = 0;
  }
  const r = random8();
  const p = pool;
  // Bytes 0–3 and 4–5: the milliseconds (below 2^48, so plain arithmetic splits them exactly).
  const high = Math.floor(last / 0x10000);
  const low = last % 0x10000;
  return (
    HEX[(high >>> 24) & 0xff]! +
    HEX[(high >>> 16) & 0xff]! +
    HEX[(high >>> 8) & 0xff]! +
    HEX[high & 0xff]! +
    '-' +
    HEX[low >>> 8]! +
    HEX[low & 0xff]! +
    '-' +
    // Version 7 and 12 bits of sequence: 4,096 ids a millisecond stay ordered.
    HEX[0x70 | (seq >>> 8)]! +
    HEX[seq & 0xff]! +
    '-' +
    // The RFC 9562 variant (10xx), then 62 random bits.
    HEX[0x80 | (p[r]! & 0x3f)]! +
    HEX[p[r + 1]!]! +
    '-' +
    HEX[p[r + 2]!]! +
    HEX[p[r + 3]!]! +
    HEX[p[r + 4]!]! +
    HEX[p[r + 5]!]! +
    HEX[p[r + 6]!]! +
    HEX[p[r + 7]!]!
  );
}
