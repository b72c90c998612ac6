import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { createApp } from '../app.js';
import type { Database } from '../db/connection.js';
import { ensureDefaultWorkspace } from '../repos/workspaces.js';
import type { TestDatabase } from './databases.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: Database;
  writeKey: string;
  secretKey: string;
  /** Advances the injected clock. */
  tick(ms: number): void;
  /** POSTs a tracking-API body with the write key (or the secret key when `verified`). */
  send(path: string, body: unknown, opts?: { verified?: boolean; contentType?: string }): Promise<Response>;
  /** Calls the admin API with the secret key; answers status and parsed JSON. */
  admin<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
}

/** A collector app on the given store with a controllable clock, as tests use it. */
export async function createTestApp(
  database: Database,
  opts: { sdkScriptPath?: string; demoDir?: string; importMaxBytes?: number } = {},
): Promise<TestApp> {
  let clock = Date.UTC(2026, 0, 1, 12);
  const now = () => clock;
  const { workspace } = await ensureDefaultWorkspace(database.db, {}, now());
  const app = createApp({
    database,
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    now,
    newId: randomUUID,
    sdkScriptPath: opts.sdkScriptPath ?? '/nonexistent/threadline.js',
    demoDir: opts.demoDir,
    importMaxBytes: opts.importMaxBytes,
  });
  return {
    app,
    database,
    writeKey: workspace.writeKey,
    secretKey: workspace.secretKey,
    tick: (ms) => {
      clock += ms;
    },
    send(path, body, o = {}) {
      const headers: Record<string, string> = { 'Content-Type': o.contentType ?? 'application/json' };
      if (o.verified) headers.Authorization = `Bearer ${workspace.secretKey}`;
      const payload = o.verified ? body : { writeKey: workspace.writeKey, ...(body as object) };
      return Promise.resolve(app.request(path, { method: 'POST', headers, body: JSON.stringify(payload) }));
    },
    async admin(path, init = {}) {
      const res = await app.request(path, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${workspace.secretKey}`, 'Content-Type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/**
 * A fresh app on a fresh store for every test of the enclosing describe,
 * closed after it. The handle is filled in place before each test.
 */
export function useTestApp(store: TestDatabase): TestApp {
  const handle = {} as TestApp;
  beforeEach(async () => {
    Object.assign(handle, await createTestApp(await store.open()));
  });
  afterEach(async () => {
    await handle.database.close();
  });
  return handle;
}
