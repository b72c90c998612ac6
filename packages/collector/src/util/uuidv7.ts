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
/** ASCII hex digits, and the id being spelled: written a byte at a time, read out as one string. */
const DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const spelled = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
/** Spells `byte` as two hex digits at `at` of `spelled`. */
function hex(at: number, byte: number): void {
  spelled[at] = DIGITS[byte >>> 4]!;
  spelled[at + 1] = DIGITS[byte & 0xf]!;
}

/**
 * A UUIDv7 (RFC 9562 §5.7): 48 bits of milliseconds then random bits, so ids
 * sort by creation time. Within one millisecond a counter in the random
 * field keeps ids from this process in order. The digits are written into a
 * buffer and read out once: joining 2-digit strings made about twenty
 * intermediate strings an id (an import makes six ids a row; 270 → 190 ns an
 * id, measured with the ids used as map keys).
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
  // Bytes 0–3 and 4–5: the milliseconds (below 2^48, so plain arithmetic splits them exactly).
  const high = Math.floor(last / 0x10000);
  const low = last % 0x10000;
  hex(0, (high >>> 24) & 0xff);
  hex(2, (high >>> 16) & 0xff);
  hex(4, (high >>> 8) & 0xff);
  hex(6, high & 0xff);
  hex(9, low >>> 8);
  hex(11, low & 0xff);
  // Version 7 and 12 bits of sequence: 4,096 ids a millisecond stay ordered.
  hex(14, 0x70 | (seq >>> 8));
  hex(16, seq & 0xff);
  // The RFC 9562 variant (10xx), then 62 random bits.
  hex(19, 0x80 | (pool[r]! & 0x3f));
  hex(21, pool[r + 1]!);
  for (let k = 2; k < 8; k++) hex(20 + 2 * k, pool[r + k]!);
  return spelled.toString('latin1', 0, 36);
}
