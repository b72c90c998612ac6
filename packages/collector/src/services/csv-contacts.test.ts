import { describe, expect, it } from 'vitest';
import { type ImportItem, readIfStoreless } from '../domain/import/read-row.js';
import { DEFAULT_SETTINGS } from '../domain/settings.js';
import { streamOf } from '../test-support/imports.js';
import { csvContacts } from './csv-contacts.js';
import { stopCsvReader } from './csv-reader-thread.js';

/** A body of `pieces` rows pieces after the header, counting the bytes the reader has pulled; `hold` keeps it open after them. */
function countedBody(pieces: number, rowsAPiece: number, hold?: Promise<void>) {
  const encoder = new TextEncoder();
  const counted = { pulled: 0 };
  let next = -1;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next === pieces) {
        await hold;
        return controller.close();
      }
      const text = next < 0 ? 'email,plan\n' : Array.from({ length: rowsAPiece }, (_, i) => `p${next}-${i}@example.com,gold\n`).join('');
      next++;
      const bytes = encoder.encode(text);
      counted.pulled += bytes.byteLength;
      controller.enqueue(bytes);
    },
  });
  return { body, counted };
}

/** Waits until the body has not been read further for a while: the bytes it was read to by then. */
async function readingStopped(counted: { pulled: number }): Promise<number> {
  let seen = -1;
  while (counted.pulled !== seen) {
    seen = counted.pulled;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return seen;
}

const onThread = { settings: DEFAULT_SETTINGS, onThread: true };
const onLoop = { settings: DEFAULT_SETTINGS, onThread: false };

async function allRows(batches: AsyncIterable<ImportItem[]>) {
  const all: ImportItem[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

describe('csvContacts', () => {
  it('answers the same rows on the thread as on the loop, each read on the thread unless it names a profile by GUID', async () => {
    const file = [
      '\uFEFFid,email,phone,plan,sms_opt_out\r\n,Ana@Example.com,(415) 555-2671,gold,1\r\n,bo@',
      'example.com,not a phone,,0\r\n',
      'abc-123,,,silver,0\r\n,too,few\r\n',
    ];
    const [metaLoop, metaThread] = [{}, {}];
    const loop = await allRows(csvContacts(streamOf(file), 1 << 20, 2, onLoop, metaLoop));
    const thread = await allRows(csvContacts(streamOf(file), 1 << 20, 2, onThread, metaThread));
    expect(thread).toEqual(loop.map((item) => readIfStoreless(item, DEFAULT_SETTINGS)));
    expect(metaThread).toEqual(metaLoop);
    expect(thread).toEqual([
      {
        row: 1,
        read: {
          row: 1,
          claim: { ok: true, claim: { verified: true, email: 'ana@example.com', phone: '+14155552671' }, traits: { plan: 'gold' } },
          optOuts: [{ channel: 'sms', address: '+14155552671', reason: 'unsubscribed' }],
        },
      },
      {
        row: 2,
        read: { row: 2, claim: { ok: false, field: 'phone', reason: expect.stringMatching(/not a valid phone number/) }, optOuts: [] },
      },
      { row: 3, contact: expect.objectContaining({ profileId: 'abc-123', traits: { plan: 'silver' } }) },
      { row: 4, rejection: { field: '(row)', reason: 'has 3 fields where the header has 5' } },
    ]);
  });

  it('reads the body on the thread only a bounded way ahead of the batches taken, whatever its size', async () => {
    // About 12 MB: the reading stops far short of it while the first batch is being settled.
    const { body, counted } = countedBody(4000, 100);
    const batches = csvContacts(body, 1 << 30, 500, onThread);
    const first = await batches.next();
    expect(first.value).toHaveLength(500);
    expect(await readingStopped(counted)).toBeLessThan(2 << 20);
    // Taking the next batch reads on, and every row arrives in order.
    let rows = 500;
    let last = 500;
    for await (const batch of batches) {
      expect(batch[0]!.row).toBe(last + 1);
      last = batch.at(-1)!.row;
      rows += batch.length;
    }
    expect(rows).toBe(400_000);
  });

  it('fails an import whose reader thread stops, rather than waiting for it, and starts a new thread for the next', async () => {
    let release!: () => void;
    const { body } = countedBody(3, 10, new Promise<void>((resolve) => (release = resolve)));
    const batches = csvContacts(body, 1 << 30, 20, onThread);
    expect((await batches.next()).value).toHaveLength(20);
    await stopCsvReader();
    await expect(batches.next()).rejects.toThrow(/the CSV reader thread stopped/);
    release();

    const again = await allRows(csvContacts(countedBody(1, 3).body, 1 << 30, 20, onThread));
    expect(again.map((i) => i.row)).toEqual([1, 2, 3]);
  });
});
