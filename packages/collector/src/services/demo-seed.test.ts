import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { defaultWorkspace } from '../repos/workspaces.js';
import { seedDemoPopup } from './demo-seed.js';

describe.each(await testDatabases())('demo seed ($name)', (store) => {
  const t = useTestApp(store);

  it('makes a valid popup for anonymous visitors on the demo product pages only, asking for an email after an add-to-cart', async () => {
    const workspace = (await defaultWorkspace(t.database.db))!;
    await seedDemoPopup({ database: t.database, workspace, now: Date.now, newId: randomUUID });
    const served = await t.app.request(`/v1/popups?writeKey=${t.writeKey}&anonymousId=new-visitor`);
    const { popups } = await served.json();
    expect(popups).toHaveLength(1);
    expect(popups[0]).toMatchObject({
      enabled: true,
      audience: 'anonymous',
      pages: { include: [{ match: 'startsWith', value: '/demo/product' }], exclude: [] },
      trigger: { type: 'event', event: 'Product Added' },
      form: { field: 'email' },
    });
  });
});
