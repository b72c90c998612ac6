import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { createTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

const databases = await testDatabases();
const SCRIPT = 'window.threadline = window.threadline || [];\n';

describe.each(databases)('the script-tag asset on $name', (store) => {
  let database: Database;
  let dir: string;
  beforeEach(async () => {
    database = await store.open();
    dir = mkdtempSync(join(tmpdir(), 'threadline-asset-'));
  });
  afterEach(async () => {
    await database.close();
  });

  it('answers 503 JSON when the script is not built', async () => {
    const t = await createTestApp(database, { sdkScriptPath: join(dir, 'threadline.js') });
    const res = await t.app.request('/threadline.js');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('serves the built script as JavaScript that any origin may embed', async () => {
    const path = join(dir, 'threadline.js');
    writeFileSync(path, SCRIPT);
    const t = await createTestApp(database, { sdkScriptPath: path });
    const res = await t.app.request('/threadline.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await res.text()).toBe(SCRIPT);
  });

  it('serves the script once it is built after answering 503', async () => {
    const path = join(dir, 'threadline.js');
    const t = await createTestApp(database, { sdkScriptPath: path });
    expect((await t.app.request('/threadline.js')).status).toBe(503);
    writeFileSync(path, SCRIPT);
    const res = await t.app.request('/threadline.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SCRIPT);
  });
});

describe.each(databases)('the demo storefront on $name', (store) => {
  let database: Database;
  let root: string;
  beforeEach(async () => {
    database = await store.open();
    const dir = mkdtempSync(join(tmpdir(), 'threadline-demo-'));
    root = join(dir, 'site');
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), '<h1>Shop</h1>');
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  });
  afterEach(async () => {
    await database.close();
  });

  it('serves the demo index as HTML', async () => {
    const t = await createTestApp(database, { demoDir: root });
    const res = await t.app.request('/demo/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toBe('<h1>Shop</h1>');
  });

  it.each(['/demo/..%2Fsecret.txt', '/demo/%2e%2e/secret.txt', '/demo/sub/..%2F..%2Fsecret.txt'])(
    'never serves a file outside the demo folder (%s)',
    async (path) => {
      const t = await createTestApp(database, { demoDir: root });
      const res = await t.app.request(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('not for the web');
    },
  );

  // A scanner's or a typo's bad escape is the client's error: it must not be
  // logged and answered as an internal failure.
  it('answers a demo path with a malformed percent escape with 4xx, not 500', async () => {
    const t = await createTestApp(database, { demoDir: root });
    const res = await t.app.request('/demo/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
