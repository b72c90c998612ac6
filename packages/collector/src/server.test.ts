import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db/connection.js';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const KEYS = { THREADLINE_WRITE_KEY: 'wk_server_test_1', THREADLINE_SECRET_KEY: 'sk_server_test_1' };

/** Starts the real Node entry on a free port and answers its base URL once it listens. */
function startServer(db: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, ...KEYS, PORT: '0', THREADLINE_DB: db, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, base: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${out}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('the Node entry', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('finishes a request in flight on SIGTERM, then closes the database and exits 0', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'threadline-server-')), 'server.db');
    const server = await startServer(db);
    child = server.child;
    // 2,500 new visitors identifying: long enough to still be running when the signal arrives.
    const batch = Array.from({ length: 2500 }, (_, i) => ({
      type: 'identify',
      messageId: `m${i}`,
      anonymousId: `v${i}`,
      traits: { email: `s${i}@example.com` },
    }));
    const inFlight = fetch(`${server.base}/v1/batch`, {
      method: 'POST',
      body: JSON.stringify({ writeKey: KEYS.THREADLINE_WRITE_KEY, batch }),
    });
    await new Promise((r) => setTimeout(r, 300));
    const exit = exited(server.child);
    server.child.kill('SIGTERM');

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2500 });
    expect(await exit).toBe(0);

    const database = await openDatabase(db);
    const row = await database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    await database.close();
    expect(Number(row?.n)).toBe(2500);
  }, 60_000);

  it('takes the CSV import cap from THREADLINE_IMPORT_MAX_BYTES', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'threadline-server-')), 'server.db');
    const server = await startServer(db, { THREADLINE_IMPORT_MAX_BYTES: '100' });
    child = server.child;
    const post = (csv: string) =>
      fetch(`${server.base}/api/imports`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEYS.THREADLINE_SECRET_KEY}`, 'Content-Type': 'text/csv' },
        body: csv,
      });
    expect((await post('email\nana@example.com\n')).status).toBe(201);
    const res = await post(`email\n${'p@example.com\n'.repeat(10)}`);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ field: 'body' });
  }, 30_000);

  it('refuses to start on a bad PORT, naming the variable', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', SERVER], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    proc.stderr!.on('data', (c) => (err += c));
    expect(await exited(proc)).not.toBe(0);
    expect(err).toContain('PORT');
  }, 30_000);
});
