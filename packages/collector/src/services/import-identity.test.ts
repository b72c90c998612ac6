import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, logOf, profileOf, usePrimaryKey } from '../test-support/identity.js';
import { importCsv, type ImportReport } from '../test-support/imports.js';

const databases = await testDatabases();
const MOBILE = '+14155552671';
const MOBILE2 = '+14155552672';

const sum = (r: ImportReport) => r.created + r.matched + r.merged + r.conflicts + r.rejected;

describe.each(databases)('imports follow the identity rules on $name', (store) => {
  const t = useTestApp(store);

  describe('email primary key', () => {
    it('counts every row in exactly one outcome: created, matched, merged, conflict, rejected', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
      await identify(t, { anonymousId: 'w1', phone: MOBILE2 }); // an addressable walk-in
      const report = await importCsv(
        t,
        [
          'email,phone,plan',
          'new@example.com,,gold', // 1 created
          'ana@example.com,,silver', // 2 matched
          'cy@example.com,+1 415 555 2671,', // 3 conflict: the mobile is Ana's, who holds another email
          'ana@example.com,+1 415 555 2672,', // 4 merged: the walk-in's mobile brings it into Ana
          'not-an-email,,', // 5 rejected
          'test@test.com,,', // 6 rejected: block-listed
          ',,gold', // 7 rejected: no identifier
          'bo@example.com,+1 415 555 2673,', // 8 created
        ].join('\n'),
      );
      expect(report).toMatchObject({ rows: 8, created: 2, matched: 1, merged: 1, conflicts: 1, rejected: 3 });
      expect(sum(report)).toBe(report.rows);
      expect(report.rejections).toEqual([
        { row: 5, field: 'email', reason: 'is not a valid email address' },
        { row: 6, field: 'email', reason: 'is on the block list of shared values and links no profile' },
        { row: 7, field: '(row)', reason: expect.stringContaining('no userId, email or phone') },
      ]);

      const ana = await profileOf(t, 'email', 'ana@example.com');
      const cy = await profileOf(t, 'email', 'cy@example.com');
      expect(ana).toMatchObject({ phone: MOBILE2, traits: { plan: 'silver' } });
      expect(ana!.anonymousIds.sort()).toEqual(['a1', 'w1']);
      expect(await profileOf(t, 'phone', MOBILE)).toBeUndefined(); // replaced by the walk-in's mobile, kept in the log
      expect(cy).toMatchObject({ status: 'identified', phone: null });
      expect((await logOf(t, ana!.id)).filter((e) => e.type === 'merge_refused')).toHaveLength(1);
      expect((await logOf(t, cy!.id)).filter((e) => e.type === 'merge_refused')).toHaveLength(1);
      expect((await logOf(t, ana!.id)).filter((e) => e.type === 'merged')).toHaveLength(1);
    });

    it('gives every profile the import touched an imported log entry with the import id, row and outcome', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE });
      const report = await importCsv(t, 'email,mobile\nana@example.com,\nbo@example.com,\ncy@example.com,4155552671\n');
      const imported = async (email: string) =>
        (await logOf(t, (await profileOf(t, 'email', email))!.id)).filter((e) => e.type === 'imported').map((e) => e.details);
      expect(await imported('ana@example.com')).toEqual([
        { importId: report.id, row: 1, outcome: 'matched' },
        { importId: report.id, row: 3, outcome: 'conflict' },
      ]);
      expect(await imported('bo@example.com')).toEqual([{ importId: report.id, row: 2, outcome: 'created' }]);
      expect(await imported('cy@example.com')).toEqual([{ importId: report.id, row: 3, outcome: 'conflict' }]);
      const created = (await logOf(t, (await profileOf(t, 'email', 'bo@example.com'))!.id)).find((e) => e.type === 'created');
      expect(created?.details).toEqual({ via: 'import' });
    });

    it('replaces the mobile of a known profile, logging the old one, and updates its traits', async () => {
      await identify(t, { anonymousId: 'a1', email: 'ana@example.com', phone: MOBILE, traits: { plan: 'free', city: 'Pune' } });
      const report = await importCsv(t, 'email,phone,plan\nana@example.com,+14155552672,gold\n');
      expect(report).toMatchObject({ matched: 1 });
      const ana = await profileOf(t, 'email', 'ana@example.com');
      expect(ana).toMatchObject({ phone: MOBILE2, traits: { plan: 'gold', city: 'Pune' }, anonymousIds: ['a1'] });
      expect((await logOf(t, ana!.id)).find((e) => e.type === 'identifier_replaced')?.details).toMatchObject({
        kind: 'phone',
        old: MOBILE,
        new: MOBILE2,
      });
    });

    it('creates an addressable profile from a mobile-only row, which a later row with the email merges', async () => {
      const first = await importCsv(t, 'email,phone\n,+14155552671\nana@example.com,\n');
      expect(first).toMatchObject({ created: 2 });
      expect((await profileOf(t, 'phone', MOBILE))?.status).toBe('addressable');
      const second = await importCsv(t, 'email,phone\nana@example.com,+14155552671\n');
      expect(second).toMatchObject({ merged: 1 });
      expect((await t.admin('/api/stats')).body).toMatchObject({ contacts: 1, identified: 1, addressable: 0 });
    });
  });

  describe('phone primary key', () => {
    it('creates an addressable profile from an email, merges when mobile and email both match, and refuses a different mobile', async () => {
      await usePrimaryKey(t, 'phone');
      const report = await importCsv(
        t,
        ['phone,email', ',ana@example.com', '+14155552671,', '+14155552671,ana@example.com', '+14155552672,ana@example.com'].join('\n'),
      );
      expect(report).toMatchObject({ rows: 4, created: 2, merged: 1, conflicts: 1 });
      expect(await profileOf(t, 'email', 'ana@example.com')).toMatchObject({ status: 'identified', phone: MOBILE });
      expect(await profileOf(t, 'phone', MOBILE2)).toMatchObject({ status: 'identified', email: null });
    });
  });

  describe('userId primary key', () => {
    it('keeps rows without a userId addressable, merges them into the userId row that matches, and updates the identified profile', async () => {
      await usePrimaryKey(t, 'userId');
      const report = await importCsv(
        t,
        [
          'customer_id,email,mobile',
          ',ana@example.com,',
          ',,+14155552671',
          'CUST-1,ana@example.com,+14155552671',
          'CUST-1,ana@new.example,',
          'CUST-2,ana@new.example,',
        ].join('\n'),
      );
      expect(report).toMatchObject({ rows: 5, created: 2, merged: 1, matched: 1, conflicts: 1 });
      expect(await profileOf(t, 'userId', 'CUST-1')).toMatchObject({ status: 'identified', email: 'ana@new.example', phone: MOBILE });
      expect(await profileOf(t, 'userId', 'CUST-2')).toMatchObject({ status: 'identified', email: null });
      expect((await t.admin('/api/stats')).body).toMatchObject({ identified: 2, addressable: 0 });
    });
  });

  describe('concurrency', () => {
    it('an import running beside live identifies for the same person ends in one profile', async () => {
      const rows = Array.from({ length: 600 }, (_, i) =>
        i % 3 === 0 ? 'ana@example.com,+14155552671' : i % 3 === 1 ? ',+14155552671' : `p${i}@example.com,`,
      );
      const live = Array.from({ length: 60 }, (_, i) =>
        i % 2 ? { anonymousId: `tab-${i}`, email: 'ana@example.com' } : { anonymousId: `tab-${i}`, phone: MOBILE },
      );
      const [report] = await Promise.all([importCsv(t, `email,phone\n${rows.join('\n')}\n`), ...live.map((who) => identify(t, who))]);
      expect(report.rows).toBe(600);
      expect(sum(report)).toBe(600);
      const ana = await profileOf(t, 'email', 'ana@example.com');
      expect(ana).toMatchObject({ phone: MOBILE });
      expect(ana!.anonymousIds.sort()).toEqual(live.map((w) => w.anonymousId).sort());
      expect(await profileOf(t, 'phone', MOBILE)).toMatchObject({ id: ana!.id });
      expect((await t.admin('/api/stats')).body).toMatchObject({ identified: 201, addressable: 0, anonymous: 0 });
    });
  });
});
