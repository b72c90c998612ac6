import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractClaim } from '../domain/identity/claim.js';
import { defaultWorkspace } from '../repos/workspaces.js';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { profileOf } from '../test-support/identity.js';
import { logStatements } from '../test-support/statement-log.js';
import type { ServiceContext } from './context.js';
import { settleInGroup } from './identify-groups.js';
import type { Item } from './ingest-identified.js';
import type { GroupJob } from './settle-group.js';
import type { Identified } from './validate-batch.js';

// Requests that may change the identity graph, arriving together on a
// single-node PostgreSQL, settle in one transaction (services/settle-group.ts);
// elsewhere each as before. Either way each request is answered as if alone.
const databases = await testDatabases();
const PEOPLE = 24;

describe.each(databases)('identifies arriving together on $name', (store) => {
  const t = useTestApp(store);
  const page = (anonymousId: string) => ({ type: 'page', anonymousId, messageId: randomUUID() });
  const identify = (anonymousId: string, email: string, messageId = randomUUID()) => ({
    type: 'identify',
    anonymousId,
    messageId,
    traits: { email, first_name: 'Ana' },
  });
  const send = async (batch: unknown[]) => (await t.send('/v1/batch', { batch })).json() as Promise<Record<string, unknown>>;

  it('are each answered as if alone and stitched, a retry in flight stored once; on PostgreSQL in a few transactions', async () => {
    const tag = randomUUID().slice(0, 8);
    const visitors = Array.from({ length: PEOPLE }, (_, i) => ({ aid: `g-${tag}-${i}`, email: `g${i}-${tag}@example.com` }));
    await send(visitors.map((v) => page(v.aid)));
    const retried = identify(visitors[0]!.aid, visitors[0]!.email);
    const log = logStatements();
    let answers: Array<Record<string, unknown>>;
    try {
      answers = await Promise.all([
        ...visitors.map((v, i) => send([i ? identify(v.aid, v.email) : retried])),
        // The same message again while the first is in flight: a group never takes one message ID twice.
        send([retried]),
        // Two visitors leaving one address, in two requests: one profile.
        send([identify(`g-${tag}-twin-a`, `twin-${tag}@example.com`)]),
        send([
          identify(`g-${tag}-twin-b`, `twin-${tag}@example.com`),
          { type: 'track', event: 'Viewed', anonymousId: `g-${tag}-twin-b`, messageId: randomUUID() },
        ]),
      ]);
    } finally {
      log.stop();
    }
    for (const a of answers.slice(1, PEOPLE)) expect(a).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    // The message and its retry: stored once, whichever went first.
    expect([answers[0], answers[PEOPLE]].map((a) => [a!.accepted, a!.duplicates]).sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(answers[PEOPLE + 2]).toMatchObject({ accepted: 2, duplicates: 0 });
    for (const v of visitors) expect(await profileOf(t, 'anonymousId', v.aid)).toMatchObject({ email: v.email, status: 'identified' });
    const twin = await profileOf(t, 'email', `twin-${tag}@example.com`);
    expect(twin?.anonymousIds.sort()).toEqual([`g-${tag}-twin-a`, `g-${tag}-twin-b`]);
    const events = await t.database.db.selectFrom('events').select('message_id').where('message_id', '=', retried.messageId).execute();
    expect(events).toHaveLength(1);
    const commits = log.texts.flatMap((s) => s.toLowerCase().split('; ')).filter((s) => s === 'commit').length;
    // 27 requests: on PostgreSQL those arriving while a group runs go together in the next.
    if (store.name === 'postgres') expect(commits).toBeLessThan(PEOPLE / 2);
  });

  it('a batch of more messages than a group takes is settled in parts, in order; on PostgreSQL a transaction a part', async () => {
    const tag = randomUUID().slice(0, 8);
    const emails = Array.from({ length: 75 }, (_, i) => `p${i}-${tag}@example.com`);
    // Each address left by two visitors, 75 messages apart: the second of each pair lands in a later part.
    const batch = [...emails.map((e, i) => identify(`pa-${tag}-${i}`, e)), ...emails.map((e, i) => identify(`pb-${tag}-${i}`, e))];
    const log = logStatements();
    let answer: Record<string, unknown>;
    try {
      answer = await send(batch);
    } finally {
      log.stop();
    }
    expect(answer).toMatchObject({ accepted: 150, duplicates: 0, rejected: [] });
    for (const [i, e] of emails.entries())
      expect((await profileOf(t, 'email', e))?.anonymousIds.sort()).toEqual([`pa-${tag}-${i}`, `pb-${tag}-${i}`]);
    const commits = log.texts.flatMap((s) => s.toLowerCase().split('; ')).filter((s) => s === 'commit').length;
    // 150 messages in parts of 64: three transactions, where each message took one of its own before.
    if (store.name === 'postgres') expect(commits).toBe(3);
    expect(await send(batch)).toMatchObject({ accepted: 0, duplicates: 150 });
  });

  it.runIf(store.name === 'postgres')(
    "a group that fails is settled again a request at a time: one request's error is its own",
    async () => {
      const workspace = (await defaultWorkspace(t.database.db))!;
      const tag = randomUUID().slice(0, 8);
      await send([page(`f-${tag}-0`)]);
      const taken = (await profileOf(t, 'anonymousId', `f-${tag}-0`))!.id;
      const job = (email: string, newId: () => string): GroupJob => {
        const ctx: ServiceContext = { database: t.database, workspace, now: () => Date.now(), newId };
        const message = { ...identify(`f-${tag}-${email}`, `${email}-${tag}@example.com`), timestamp: new Date().toISOString() };
        const item: Item = { index: 0, message: message as Identified, ...extractClaim(message as Identified, workspace.settings, false) };
        return { ctx, items: [item], opts: { verified: false, receivedAt: Date.now() } };
      };
      const out = () => ({ rejected: [], warnings: [] });
      // The first request starts a group alone; the next two go together in the second, whose
      // transaction fails on the one whose new profile takes an ID already used.
      const answers = await Promise.allSettled([
        settleInGroup(job('first', randomUUID), out()),
        settleInGroup(
          job('clash', () => taken),
          out(),
        ),
        settleInGroup(job('third', randomUUID), out()),
      ]);
      expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(answers[2]).toMatchObject({ value: { accepted: 1, duplicates: 0 } });
      expect(await profileOf(t, 'email', `third-${tag}@example.com`)).toMatchObject({ anonymousIds: [`f-${tag}-third`] });
      expect(await profileOf(t, 'email', `clash-${tag}@example.com`)).toBeUndefined();
    },
  );
});
