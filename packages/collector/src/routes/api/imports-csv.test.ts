import { describe, expect, it } from 'vitest';
import { createTestApp, useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { profileOf } from '../../test-support/identity.js';
import { importCsv, postCsv, streamOf } from '../../test-support/imports.js';
import { IMPORT_CHUNK_ROWS } from '../../services/import-contacts.js';

const databases = await testDatabases();

describe.each(databases)('CSV import on $name', (store) => {
  const t = useTestApp(store);
  const profileCount = async () => (await t.admin('/api/stats')).body.contacts as number;

  describe('reading the file', () => {
    it('reads a BOM, CRLF, quoted commas and line breaks, escaped quotes and blank lines, and keeps extra columns as traits', async () => {
      const csv =
        '\uFEFFemail,name,note\r\nana@example.com,Ana,"gold, yearly"\r\n\r\n"bo@example.com","Bo ""B"" Li","line one\r\nline two"\r\n\r\n';
      const report = await importCsv(t, csv);
      expect(report).toMatchObject({ status: 'done', rows: 2, created: 2, rejected: 0, rejections: [] });
      expect((await profileOf(t, 'email', 'ana@example.com'))?.traits).toEqual({ name: 'Ana', note: 'gold, yearly' });
      expect((await profileOf(t, 'email', 'bo@example.com'))?.traits).toEqual({ name: 'Bo "B" Li', note: 'line one\r\nline two' });
    });

    it('reads LF line endings and a last row without a line break, and ignores empty cells', async () => {
      const report = await importCsv(t, 'email,plan,city\nana@example.com,,Pune\nbo@example.com,gold,');
      expect(report).toMatchObject({ rows: 2, created: 2 });
      expect((await profileOf(t, 'email', 'ana@example.com'))?.traits).toEqual({ city: 'Pune' });
      expect((await profileOf(t, 'email', 'bo@example.com'))?.traits).toEqual({ plan: 'gold' });
    });

    it('takes customer_id, customerId and mobile as identifier columns, whatever their case', async () => {
      await importCsv(t, 'Customer_ID,EMAIL,Mobile\nCUST-1,ana@example.com,+1 415 555 2671\n');
      expect(await profileOf(t, 'userId', 'CUST-1')).toMatchObject({ email: 'ana@example.com', phone: '+14155552671', traits: {} });
      await importCsv(t, 'customerId,plan\nCUST-2,gold\n');
      expect(await profileOf(t, 'userId', 'CUST-2')).toMatchObject({ traits: { plan: 'gold' } });
    });

    it('rejects ragged rows, naming the data row, and imports the rows around them', async () => {
      const report = await importCsv(
        t,
        'email,plan\nana@example.com,gold\nbo@example.com\ncy@example.com,gold,extra\ndi@example.com,silver\n',
      );
      expect(report).toMatchObject({ rows: 4, created: 2, rejected: 2 });
      expect(report.rejections).toEqual([
        { row: 2, field: '(row)', reason: 'has 1 fields where the header has 2' },
        { row: 3, field: '(row)', reason: 'has 3 fields where the header has 2' },
      ]);
      expect(await profileOf(t, 'email', 'bo@example.com')).toBeUndefined();
      expect(await profileOf(t, 'email', 'di@example.com')).toMatchObject({ traits: { plan: 'silver' } });
    });

    it('rejects an overlong row and a row with a quote left open, and keeps what came before', async () => {
      const long = 'x'.repeat(40_000);
      const report = await importCsv(t, `email,note\nana@example.com,${long}\nbo@example.com,ok\ncy@example.com,"never closed\n`);
      expect(report).toMatchObject({ rows: 3, created: 1, rejected: 2 });
      expect(report.rejections.map((r) => [r.row, r.field])).toEqual([
        [1, '(row)'],
        [3, '(row)'],
      ]);
      expect(report.rejections[0]!.reason).toMatch(/longer than/);
      expect(report.rejections[1]!.reason).toMatch(/never closed/);
    });

    it('reads a streamed body cut inside quoted fields and between CR and LF', async () => {
      const pieces = ['em', 'ail,no', 'te\r', '\nana@example.com,"a,', '\r\nb"', '"c"\r', '\n'];
      const res = await postCsv(t, streamOf(pieces));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ rows: 1, created: 1 });
      expect((await profileOf(t, 'email', 'ana@example.com'))?.traits).toEqual({ note: 'a,\r\nb"c' });
    });
  });

  describe('refusing an upload whole', () => {
    it.each([
      ['plan,city\ngold,Pune\n', 'header', /userId/],
      ['email,,plan\n', 'header', /column 2 has no name/],
      ['email,phone,mobile\n', 'header', /repeats the phone column/],
      ['"email\n', 'header', /never closed/],
      ['', 'body', /header row/],
      ['\r\n\r\n', 'body', /header row/],
    ])('refuses %j with 400 naming %s, and stores nothing', async (csv, field, message) => {
      const res = await postCsv(t, csv);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ field, message: expect.stringMatching(message) });
      expect(await profileCount()).toBe(0);
    });

    it.each(['application/json', 'text/plain', 'text/csv; charset=latin1'])(
      'refuses Content-Type %s with 415 naming Content-Type',
      async (type) => {
        const res = await postCsv(t, 'email\nana@example.com\n', { 'Content-Type': type });
        expect(res.status).toBe(415);
        expect(res.body.error).toMatchObject({ field: 'Content-Type' });
        expect(await profileCount()).toBe(0);
      },
    );

    it('accepts text/csv with a UTF-8 charset', async () => {
      expect((await postCsv(t, 'email\nana@example.com\n', { 'Content-Type': 'text/csv; charset=UTF-8' })).status).toBe(201);
    });

    it('refuses the write key, as Basic user or as Bearer, with 401', async () => {
      for (const auth of [`Basic ${Buffer.from(`${t.writeKey}:`).toString('base64')}`, `Bearer ${t.writeKey}`]) {
        const res = await postCsv(t, 'email\nana@example.com\n', { Authorization: auth });
        expect(res.status).toBe(401);
      }
      expect(await profileCount()).toBe(0);
    });

    it('refuses a body declaring a length over THREADLINE_IMPORT_MAX_BYTES with 413 before reading it', async () => {
      const small = await createTestApp(t.database, { importMaxBytes: 1000 });
      const csv = `email\n${Array.from({ length: 100 }, (_, i) => `p${i}@example.com`).join('\n')}\n`;
      const res = await postCsv(small, csv, { 'Content-Length': String(Buffer.byteLength(csv)) });
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'payload_too_large', field: 'body' });
      expect(await profileCount()).toBe(0);
    });

    it('stops a streamed body at THREADLINE_IMPORT_MAX_BYTES with 413, keeps the chunks settled before, and reports the import failed', async () => {
      // The first piece fills one chunk and starts the next; the second passes the cap.
      const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => `p${from + i}@example.com\n`).join('');
      const first = IMPORT_CHUNK_ROWS + 50;
      const small = await createTestApp(t.database, { importMaxBytes: Buffer.byteLength(`email\n${rows(0, first)}`) + 1000 });
      const res = await postCsv(small, streamOf(['email\n', rows(0, first), rows(first, 1000)]));
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'payload_too_large', field: 'body' });
      const id = /import ([\w-]+) stopped/.exec(res.body.error.message)?.[1];
      const report = await t.admin(`/api/imports/${id}`);
      expect(report.body).toMatchObject({ status: 'failed', rows: IMPORT_CHUNK_ROWS, created: IMPORT_CHUNK_ROWS });
      expect(await profileCount()).toBe(IMPORT_CHUNK_ROWS);
    });
  });

  describe('the stored report', () => {
    it('answers the report again, and pages through every rejection in row order', async () => {
      const lines = Array.from({ length: 260 }, (_, i) => (i % 2 ? `bad-${i}` : `p${i}@example.com`));
      const report = await importCsv(t, `email\n${lines.join('\n')}\n`);
      expect(report).toMatchObject({ rows: 260, created: 130, rejected: 130, rejectionsNext: '200' });
      expect(report.rejections).toHaveLength(100);
      expect(report.rejections[0]).toEqual({ row: 2, field: 'email', reason: 'is not a valid email address' });

      const again = await t.admin(`/api/imports/${report.id}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(report);

      const rows: number[] = [];
      let after: string | null = '0';
      while (after !== null) {
        const page: { status: number; body: any } = await t.admin(`/api/imports/${report.id}/rejections?after=${after}&limit=40`);
        expect(page.status).toBe(200);
        rows.push(...page.body.rejections.map((r: { row: number }) => r.row));
        after = page.body.next;
      }
      expect(rows).toEqual(Array.from({ length: 130 }, (_, i) => 2 * i + 2));
    });

    it('answers 404 for an unknown import and 400 for a cursor that is not one', async () => {
      expect((await t.admin('/api/imports/nope')).status).toBe(404);
      expect((await t.admin('/api/imports/nope/rejections')).status).toBe(404);
      const { id } = await importCsv(t, 'email\nana@example.com\n');
      const bad = await t.admin(`/api/imports/${id}/rejections?after=x`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ field: 'after' });
    });
  });
});
