import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { logStatements } from '../test-support/statement-log.js';

// What one stitching identify costs the store (ARCHITECTURE.md "The identify
// path's statements"): counted, never timed.
const databases = await testDatabases();
/**
 * The round trips of a stitching identify today (listed in ARCHITECTURE.md),
 * besides SQLite's savepoint and its release (the request's place in a
 * shared transaction, no I/O); more means a regression. Each is one
 * statement, except on PostgreSQL, whose pipelines (db/pipeline.ts) send
 * several in one write: the statement log shows those as one entry.
 */
const ROUND_TRIPS = { sqlite: 8, postgres: 2, citus: 12 };
/** The statements of the log's entries, a pipeline's one by one. */
const statementsOf = (entries: string[]) => entries.flatMap((s) => s.toLowerCase().split('; '));

describe.each(databases)('a stitching identify on $name', (store) => {
  const t = useTestApp(store);
  const page = (anonymousId: string, messageId: string) => ({ type: 'page', anonymousId, messageId });
  const identify = (anonymousId: string, messageId: string, email: string) => ({
    type: 'identify',
    anonymousId,
    messageId,
    traits: { email, first_name: 'Ana' },
  });
  /**
   * Sends `batch` and answers its body, the statement log's entries (a
   * pipeline is one), their statements one by one, the commit's place, and
   * where a write sits between the request's `begin` and `commit` (-1: not there).
   */
  async function logged(batch: unknown[]) {
    const log = logStatements();
    let body: unknown;
    try {
      body = await (await t.send('/v1/batch', { batch })).json();
    } finally {
      log.stop();
    }
    const texts = statementsOf(log.texts);
    const begin = texts.findIndex((s) => s.startsWith('begin'));
    const commit = texts.indexOf('commit');
    const inside = (write: string) => texts.findIndex((s, i) => i > begin && i < commit && s.includes(write));
    return { body, entries: log.texts, texts, commit, inside };
  }

  it('commits once: identity, event and audience mark in one transaction, the survivor read once', async () => {
    await t.send('/v1/batch', { batch: [page('a-1', 'p-1'), page('a-2', 'p-2')] });
    // The first identify warms what the process caches (workspace, webhook endpoints).
    await t.send('/v1/batch', { batch: [identify('a-1', 'i-1', 'one@example.com')] });
    const { body, entries, texts, commit, inside } = await logged([identify('a-2', 'i-2', 'two@example.com')]);
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    expect(texts.filter((s) => s.startsWith('begin'))).toHaveLength(1);
    expect(texts.filter((s) => s === 'commit')).toHaveLength(1);
    expect(inside('insert into "identities"')).toBeGreaterThan(-1);
    expect(inside('insert into "events"')).toBeGreaterThan(-1);
    expect(inside('insert into "audience_dirty"')).toBeGreaterThan(-1);
    expect(inside('update "profiles"')).toBeGreaterThan(-1);
    expect(inside('insert into "contact_log"')).toBeGreaterThan(-1);
    if (store.name === 'postgres') {
      // One statement writes them all, each a data-modifying `with` ahead of the event insert (repos/combined-writes.ts).
      const writes = ['insert into "identities"', 'update "profiles"', 'insert into "contact_log"', 'insert into "audience_dirty"'];
      for (const w of writes) expect(inside(w)).toBe(inside('insert into "events"'));
    } else {
      // SQLite has no data-modifying `with`; a Citus coordinator keeps each write a statement of its own.
      expect(new Set([inside('insert into "identities"'), inside('insert into "events"'), inside('update "profiles"')]).size).toBe(3);
    }
    // Nothing writes after the commit: no second and third transaction.
    expect(texts.slice(commit + 1).filter((s) => /^(insert|update|delete)/.test(s))).toEqual([]);
    // The survivor's record comes with its view: the profile is not read a second time.
    expect(texts.filter((s) => s.includes('from "profiles"'))).toHaveLength(1);
    // Whether the message was stored before is asked once, not again by the event's insert.
    const storedReads = texts.filter((s) => s.includes('"message_id" from "events"') || s.includes('"message_id", null'));
    expect(storedReads).toHaveLength(1);
    if (store.name !== 'citus') {
      // …in the same statement as the owners of its identifiers (repos/owners-with-views.ts).
      expect(storedReads[0]).toContain('from "identities"');
    }
    expect(entries.filter((s) => !/^(savepoint|release) /.test(s)).length).toBeLessThanOrEqual(ROUND_TRIPS[store.name]);
    if (store.name === 'postgres') {
      // The commit goes in the write's round trip, and the begin and locks in the read's under them. The
      // locks are tried, not waited for (a request's group never waits behind a lock held elsewhere), so the
      // owners' are taken with the identifiers' (migration 0019_claim_locks), before anything is read.
      expect(entries.find((s) => s.includes('insert into "events"'))).toMatch(/; commit$/);
      expect(entries.find((s) => s.startsWith('begin'))).toMatch(/^begin; select threadline_try_claim_locks\(.*; with "o" as/);
    }

    const { body: profile } = await t.admin('/api/profiles/lookup?anonymousId=a-2');
    expect(profile).toMatchObject({ email: 'two@example.com' });
  });

  it("a new visitor's first page creates the profile in the same transaction as its event: on PostgreSQL in the statement that commits", async () => {
    // The first request warms what the process caches (workspace, prepared texts).
    await t.send('/v1/batch', { batch: [page('n-0', 'np-0')] });
    const { body, entries, texts, inside } = await logged([page('n-1', 'np-1')]);
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    expect(texts.filter((s) => s === 'commit')).toHaveLength(1);
    for (const w of ['insert into "profiles"', 'insert into "identities"', 'insert into "contact_log"', 'insert into "events"'])
      expect(inside(w), w).toBeGreaterThan(-1);
    if (store.name === 'postgres') {
      // The profile's and its identity's inserts ride in the event's statement, with the commit.
      for (const w of ['insert into "profiles"', 'insert into "identities"', 'insert into "contact_log"'])
        expect(inside(w), w).toBe(inside('insert into "events"'));
      expect(entries.find((s) => s.includes('insert into "events"'))).toMatch(/; commit$/);
      // Three round trips (six before the fold, four before the owners' locks came first): the known visitors'
      // insert, tried first, stores nothing for a visitor nobody owns; then `begin` with the locks and the read
      // under them, the write with the commit.
      expect(entries).toHaveLength(3);
      expect(entries[0]).toMatch(/^with v as/);
    }
    const { body: profile } = await t.admin('/api/profiles/lookup?anonymousId=n-1');
    expect(profile).toMatchObject({ status: 'anonymous', anonymousIds: ['n-1'] });
    const { body: events } = await t.admin(`/api/profiles/${(profile as { id: string }).id}/events`);
    expect(events).toMatchObject({ events: [{ messageId: 'np-1', type: 'page' }] });
    const { body: contactLog } = await t.admin(`/api/profiles/${(profile as { id: string }).id}/log`);
    expect((contactLog as { entries: Array<{ type: string }> }).entries.map((e) => e.type)).toEqual(['created', 'identifier_added']);
  });

  it('a batch of identifies for different people stores every event, and a resend changes nothing', async () => {
    const people = [1, 2, 3].map((i) => ({ aid: `b-${i}`, email: `b${i}@example.com` }));
    await t.send('/v1/batch', { batch: people.map((p, i) => page(p.aid, `bp-${i}`)) });
    const batch = people.map((p, i) => identify(p.aid, `bi-${i}`, p.email));
    expect(await (await t.send('/v1/batch', { batch })).json()).toMatchObject({ accepted: 3, duplicates: 0 });
    const log = logStatements();
    try {
      expect(await (await t.send('/v1/batch', { batch })).json()).toMatchObject({ accepted: 0, duplicates: 3 });
    } finally {
      log.stop();
    }
    expect(log.texts.filter((s) => /^(insert|update|delete)/i.test(s))).toEqual([]);
    const events = await t.database.db.selectFrom('events').select('message_id').where('type', '=', 'identify').execute();
    expect(events.map((e) => e.message_id).sort()).toEqual(['bi-0', 'bi-1', 'bi-2']);
    for (const p of people) expect((await t.admin(`/api/profiles/lookup?anonymousId=${p.aid}`)).body).toMatchObject({ email: p.email });
  });

  it("with a webhook endpoint, queues the delivery in the identify's own write: on PostgreSQL the same statement", async () => {
    const endpoint = await t.admin('/api/webhooks', { method: 'POST', body: { url: 'https://hooks.example.com/in', events: ['*'] } });
    expect(endpoint.status).toBe(201);
    await t.send('/v1/batch', { batch: [page('w-1', 'wp-1'), page('w-2', 'wp-2')] });
    await t.send('/v1/batch', { batch: [identify('w-1', 'wi-1', 'one@example.com')] });
    const { texts, inside } = await logged([identify('w-2', 'wi-2', 'two@example.com')]);
    expect(inside('insert into "webhook_deliveries"')).toBeGreaterThan(-1);
    if (store.name === 'postgres') {
      // Every delivery (the status change's and the log's) rides in the one write statement.
      for (const s of texts.filter((s) => s.includes('insert into "webhook_deliveries"'))) expect(s).toContain('insert into "events"');
    }
    const { body } = await t.admin(`/api/webhooks/${endpoint.body.id}/deliveries`);
    const created = body.deliveries.filter((d: { type: string }) => d.type === 'profile.identified' || d.type === 'profile.created');
    expect(created.length).toBeGreaterThan(0);
  });
});
