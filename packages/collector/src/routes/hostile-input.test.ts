import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { encodeHostile, hostileString, hostileValue, type Random, seededRandom, toHostileJson } from '../test-support/hostile.js';
import { postCsv } from '../test-support/imports.js';

const databases = await testDatabases();
const SEED = 20261203;
const ROUNDS = 25;

/** Where in an otherwise valid message the hostile value goes. */
const SLOTS = [
  'anonymousId',
  'userId',
  'messageId',
  'event',
  'timestamp',
  'type',
  'properties',
  'properties.x',
  'traits',
  'traits.email',
  'traits.phone',
  'traits.name',
  'context',
  'context.page.url',
  'previousId',
  'name',
  '(key)',
] as const;

function hostileMessage(r: Random, n: number): Record<string, unknown> {
  const type = r.pick(['track', 'page', 'identify', 'alias']);
  const m: Record<string, any> = { type, messageId: `h-${n}`, anonymousId: `hv-${n}`, event: 'Fuzzed', previousId: `p-${n}` };
  if (type === 'alias') m.userId = `hu-${n}`;
  for (let i = 1 + r.int(2); i > 0; i--) {
    const slot = r.pick(SLOTS);
    const value = hostileValue(r);
    if (slot === '(key)') m.properties = { [hostileString(r)]: value };
    else if (slot.includes('.')) {
      const [head, ...rest] = slot.split('.');
      m[head!] ??= {};
      let at = m[head!];
      for (const k of rest.slice(0, -1)) {
        at[k] ??= {};
        at = at[k];
      }
      at[rest.at(-1)!] = value;
    } else m[slot] = value;
  }
  return m;
}

const validMessage = (round: number, i: number) =>
  i % 2
    ? { type: 'track', messageId: `ok-${round}-${i}`, anonymousId: `fine-${round}-${i}`, event: 'Fine', properties: { n: i } }
    : {
        type: 'identify',
        messageId: `ok-${round}-${i}`,
        anonymousId: `fine-${round}-${i}`,
        traits: { email: `f${round}.${i}@example.com` },
      };

describe.each(databases)('hostile input on $name', (store) => {
  const t = useTestApp(store);
  const post = (path: string, body: unknown) =>
    t.app.request(path, { method: 'POST', body: toHostileJson({ writeKey: t.writeKey, ...(body as object) }) });
  const storedIds = async (ids: string[]) =>
    (await t.database.db.selectFrom('events').select('message_id').where('message_id', 'in', ids).execute()).map((e) => e.message_id);

  it(`answers no 5xx to ${ROUNDS} rounds of hostile batches, and stores the valid messages beside them (seed ${SEED})`, async () => {
    const r = seededRandom(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const batch: unknown[] = [];
      const okIds: string[] = [];
      for (let i = 0; i < 8; i++) {
        if (r.next() < 0.5) {
          const m = validMessage(round, i);
          okIds.push(m.messageId);
          batch.push(m);
        } else batch.push(hostileMessage(r, round * 100 + i));
      }
      const res = await post('/v1/batch', { batch });
      const answer = await res.json();
      expect(res.status, JSON.stringify(batch).slice(0, 2000)).toBe(200);
      expect(answer.accepted + answer.duplicates + answer.rejected.length).toBe(batch.length);
      expect((await storedIds(okIds)).sort()).toEqual(okIds.sort());

      const single = await post(`/v1/${r.pick(['track', 'identify', 'page', 'alias'])}`, hostileMessage(r, round * 100 + 99));
      expect(single.status, `single message in round ${round}`).toBeLessThan(500);
    }
  }, 120_000);

  it('answers 4xx, never 5xx, to hostile keys, paths and queries', async () => {
    const r = seededRandom(SEED + 1);
    const paths = [
      (s: string) => `/v1/popups?writeKey=${s}&anonymousId=x`,
      (s: string) => `/v1/popups?writeKey=${t.writeKey}&anonymousId=${s}`,
      (s: string) => `/api/profiles/${s}`,
      (s: string) => `/api/profiles/${s}/events?after=${s}`,
      (s: string) => `/api/profiles?after=${s}`,
      (s: string) => `/api/profiles/lookup?email=${s}`,
      (s: string) => `/api/profiles/lookup?anonymousId=${s}`,
      (s: string) => `/api/segments/${s}`,
      (s: string) => `/api/segments/${s}/profiles?after=${s}`,
      (s: string) => `/api/popups/${s}`,
      (s: string) => `/api/imports/${s}/rejections?after=${s}`,
      (s: string) => `/api/reports/profiles?segment=${s}`,
      (s: string) => `/${s}`,
    ];
    for (let i = 0; i < ROUNDS * 4; i++) {
      const s = encodeHostile(hostileString(r));
      const path = r.pick(paths)(s);
      const res = await t.app.request(path, { headers: { Authorization: `Bearer ${t.secretKey}` } });
      expect(res.status, path).toBeLessThan(500);
    }
    for (let i = 0; i < ROUNDS; i++) {
      const key = hostileString(r);
      const inBody = await t.app.request('/v1/track', {
        method: 'POST',
        body: JSON.stringify({ writeKey: key, anonymousId: 'v', event: 'E' }),
      });
      expect(inBody.status, JSON.stringify(key)).toBe(401);
      const basic = await t.app.request('/v1/track', {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
        body: JSON.stringify({ anonymousId: 'v', event: 'E' }),
      });
      expect(basic.status, JSON.stringify(key)).toBe(401);
    }
  }, 120_000);

  it('answers 4xx, never 5xx, to hostile admin bodies and CSV cells', async () => {
    const r = seededRandom(SEED + 2);
    const bodies: Array<[string, string, () => unknown]> = [
      ['POST', '/api/segments', () => ({ name: hostileString(r), definition: { all: [{ has: hostileString(r) }] } })],
      [
        'POST',
        '/api/segments/preview',
        () => ({ definition: { any: [{ event: hostileString(r) }, { trait: hostileString(r), equals: hostileValue(r) }] } }),
      ],
      ['POST', '/api/segments', () => ({ name: 's', definition: hostileValue(r) })],
      [
        'POST',
        '/api/popups',
        () => ({ name: hostileString(r), audience: 'anonymous', trigger: { type: 'pageView' }, content: { title: hostileString(r) } }),
      ],
      ['POST', '/api/contacts/bulk', () => ({ contacts: [{ email: hostileString(r), traits: { [hostileString(r)]: hostileValue(r) } }] })],
      ['PATCH', '/api/settings', () => ({ [hostileString(r)]: hostileValue(r) })],
      ['POST', `/api/profiles/${encodeHostile(hostileString(r))}/unmerge`, () => ({ logId: hostileValue(r) })],
    ];
    for (let i = 0; i < ROUNDS * 2; i++) {
      const [method, path, body] = r.pick(bodies);
      const payload = toHostileJson(body());
      const res = await t.app.request(path, {
        method,
        headers: { Authorization: `Bearer ${t.secretKey}`, 'Content-Type': 'application/json' },
        body: payload,
      });
      expect(res.status, `${method} ${path} ${payload.slice(0, 500)}`).toBeLessThan(500);
    }
    for (let i = 0; i < ROUNDS; i++) {
      const cell = hostileString(r).replace(/[",\r\n]/g, '');
      const res = await postCsv(t, `email,note\nok${i}@example.com,fine\nbad${i}@example.com,${cell}\n`);
      expect(res.status, JSON.stringify(cell)).toBe(201);
      expect(res.body.created + res.body.matched, JSON.stringify(cell)).toBeGreaterThanOrEqual(1);
    }
  }, 120_000);
});
