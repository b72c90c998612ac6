import { describe, expect, it } from 'vitest';
import { createTestApp, useTestApp, type TestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

const databases = await testDatabases();

describe.each(databases)('tracking API batches on $name', (store) => {
  const t = useTestApp(store);

  // A batch reads the identity graph once and caches it; each message must
  // still see what the messages before it in the same batch changed.
  describe('identity inside one batch', () => {
    const P = '+14155552671';
    const Q = '+14155552672';
    let n = 0;
    const at = () => new Date(Date.UTC(2026, 0, 1, 10, 0, n++)).toISOString();
    const id = (anonymousId: string | undefined, traits: Record<string, unknown>, userId?: string) => ({
      type: 'identify',
      messageId: `m${n}`,
      ...(anonymousId ? { anonymousId } : {}),
      ...(userId ? { userId } : {}),
      traits,
      timestamp: at(),
    });
    const tr = (who: { anonymousId?: string; userId?: string }, event: string) => ({
      type: 'track',
      messageId: `m${n}`,
      ...who,
      event,
      timestamp: at(),
    });

    const scenarios: Array<[string, 'email' | 'phone' | 'userId', () => unknown[]]> = [
      [
        'stitching, merging an addressable profile in, then replacing the mobile',
        'email',
        () => [
          id('v1', { email: 'ana@example.com' }),
          tr({ anonymousId: 'v1' }, 'Product Viewed'),
          id('v2', { phone: P }),
          id('v1', { email: 'ana@example.com', phone: P }),
          tr({ anonymousId: 'v2' }, 'Cart Viewed'),
          id('v1', { email: 'ana@example.com', phone: Q }),
          id('v3', { phone: P }),
          tr({ anonymousId: 'v3' }, 'Product Viewed'),
        ],
      ],
      [
        'two people on one device',
        'email',
        () => [
          id('v1', { email: 'ana@example.com' }),
          tr({ anonymousId: 'v1' }, 'Product Viewed'),
          id('v1', { email: 'bo@example.com' }),
          tr({ anonymousId: 'v1' }, 'Product Added'),
          id('v1', { email: 'ana@example.com' }),
          tr({ anonymousId: 'v1' }, 'Checkout Started'),
        ],
      ],
      [
        'one email from two visitors, then a mobile that links an addressable profile',
        'email',
        () => [
          id('v1', { email: 'ana@example.com' }),
          id('v2', { email: 'ANA@example.com ' }),
          tr({ anonymousId: 'v2' }, 'Product Viewed'),
          id('v3', { phone: P }),
          tr({ anonymousId: 'v3' }, 'Product Added'),
          id('v2', { email: 'ana@example.com', phone: P }),
          tr({ anonymousId: 'v3' }, 'Order Completed'),
        ],
      ],
      [
        'alias, then identify and a userId-only event',
        'email',
        () => [
          { type: 'alias', messageId: `m${n}`, userId: 'CUST-1', previousId: 'v1', timestamp: at() },
          tr({ anonymousId: 'v1' }, 'Product Viewed'),
          id('v1', { email: 'ana@example.com' }),
          tr({ userId: 'CUST-1' }, 'Order Completed'),
          id('v2', {}, 'CUST-1'),
          tr({ anonymousId: 'v2' }, 'Cart Viewed'),
        ],
      ],
      [
        'block-listed values on two visitors',
        'email',
        () => [
          id('v1', { email: 'test@test.com' }),
          id('v2', { email: 'test@test.com', phone: '0000000000' }),
          tr({ anonymousId: 'v1' }, 'A'),
          tr({ anonymousId: 'v2' }, 'B'),
        ],
      ],
      [
        'addressable profiles merging into the customer once the userId arrives',
        'userId',
        () => [
          id('v1', { email: 'ana@example.com' }),
          id('v2', { phone: P }),
          tr({ anonymousId: 'v1' }, 'Product Viewed'),
          id('v3', { email: 'ana@example.com', phone: P }, 'CUST-1'),
          tr({ anonymousId: 'v2' }, 'Order Completed'),
          id('v4', { phone: Q }, 'CUST-1'),
        ],
      ],
      [
        'a different mobile on a phone-keyed workspace',
        'phone',
        () => [
          id('v1', { phone: P, email: 'ana@example.com' }),
          tr({ anonymousId: 'v1' }, 'A'),
          id('v1', { phone: Q, email: 'ana@example.com' }),
          tr({ anonymousId: 'v1' }, 'B'),
        ],
      ],
    ];

    /** Everything the admin API says about the workspace, without the random profile IDs. */
    async function snapshot(app: TestApp) {
      const { body } = await app.admin('/api/profiles?limit=1000');
      const profiles = [];
      for (const p of body.profiles) {
        const events = (await app.admin(`/api/profiles/${p.id}/events`)).body.events.map((e: { messageId: string }) => e.messageId);
        const log = (await app.admin(`/api/profiles/${p.id}/log`)).body.entries.map((e: { type: string }) => e.type).sort();
        profiles.push({
          status: p.status,
          userId: p.userId,
          email: p.email,
          phone: p.phone,
          anonymousIds: [...p.anonymousIds].sort(),
          traits: p.traits,
          events,
          log,
        });
      }
      profiles.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return { profiles, stats: (await app.admin('/api/stats')).body };
    }

    it.each(scenarios)('resolves %s exactly as when the messages arrive one at a time', async (_name, primaryKey, build) => {
      n = 0;
      const messages = build();
      const oneByOne = await createTestApp(await store.open());
      try {
        for (const app of [t, oneByOne]) {
          if (primaryKey !== 'email')
            expect((await app.admin('/api/settings', { method: 'PATCH', body: { primaryKey } })).status).toBe(200);
        }
        const batched = await (await t.send('/v1/batch', { batch: messages })).json();
        expect(batched).toMatchObject({ accepted: messages.length, rejected: [] });
        for (const message of messages) {
          const res = await oneByOne.send('/v1/batch', { batch: [message] });
          expect(await res.json()).toMatchObject({ accepted: 1 });
        }
        expect(await snapshot(t)).toEqual(await snapshot(oneByOne));
      } finally {
        await oneByOne.database.close();
      }
    });
  });
});
