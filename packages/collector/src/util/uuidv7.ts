import { randomFillSync } from 'node:crypto';

let last = 0;
// Random bytes drawn 4 KiB at a time: one system call per 256 ids instead of one each (a bulk import makes several ids a row).
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;
function random16(): Buffer {
  if (used + 16 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 16;
  return Buffer.from(pool.subarray(used - 16, used));
}
let seq = 0;

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
  const bytes = random16();
  const ms = BigInt(last);
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | ((seq >> 8) & 0x0f); // 12 bits of sequence: 4,096 ids a millisecond stay ordered
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
