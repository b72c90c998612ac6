import { describe, expect, it } from 'vitest';
import { createCsvRows } from './csv-rows.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('createCsvRows', () => {
  it('reads each row into its contact as the bytes arrive, a character cut between two pieces included', () => {
    const rows = createCsvRows(1000);
    const file = bytes('\uFEFFemail,phone,city,email_opt_out\r\nAna@Example.com,(415) 555-2671,Zürich,1\r\n');
    const cut = file.indexOf(0xc3) + 1; // inside the two bytes of ü
    expect(rows.push(file.subarray(0, cut))).toEqual([]);
    expect(rows.columns?.map((c) => c.column)).toEqual(['email', 'phone', 'city', 'email_opt_out']);
    expect(rows.push(file.subarray(cut))).toEqual([
      {
        row: 1,
        contact: {
          email: 'Ana@Example.com',
          phone: '(415) 555-2671',
          traits: { city: 'Zürich' },
          fields: { email: 'email', phone: 'phone' },
          optOuts: [{ channel: 'email', field: 'email_opt_out' }],
        },
      },
    ]);
    expect(rows.end()).toEqual([]);
  });

  it('numbers the rows after the header, a row it cannot place or read and a GUID row among them', () => {
    const rows = createCsvRows(40);
    const file = `id,email,sms_opt_out\n,ana@example.com,maybe\n,${'x'.repeat(50)}@example.com,0\nabc-123,,0\n,cy@example.com\n`;
    expect([...rows.push(bytes(file)), ...rows.end()]).toEqual([
      { row: 1, rejection: { field: 'sms_opt_out', reason: 'must be true, false, 1 or 0' } },
      { row: 2, rejection: { field: '(row)', reason: expect.stringMatching(/40/) } },
      { row: 3, contact: { profileId: 'abc-123', email: '', traits: {}, fields: { email: 'email' } } },
      { row: 4, rejection: { field: '(row)', reason: 'has 2 fields where the header has 3' } },
    ]);
  });

  it('refuses a header it cannot read, and a file with no header at all', () => {
    expect(() => createCsvRows(10).push(bytes(`${'e'.repeat(20)}\nana@example.com\n`))).toThrow(
      expect.objectContaining({ field: 'header' }),
    );
    const empty = createCsvRows(1000);
    expect(empty.push(bytes('\n\n'))).toEqual([]);
    expect(() => empty.end()).toThrow(expect.objectContaining({ field: 'body', message: expect.stringMatching(/header row/) }));
  });
});
