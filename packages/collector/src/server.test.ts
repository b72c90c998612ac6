import { type ChildProcess, spawn } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db/connection.js';
import { exited, SERVER_ENTRY as SERVER, SERVER_KEYS as KEYS, startServer, tempSqlite } from './test-support/server-process.js';

describe('the Node entry', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('finishes a request in flight on SIGTERM, then closes the database and exits 0', async () => {
    const db = tempSqlite();
    // A loaded CI machine may take longer than the default grace period over this batch.
    const server = await startServer(db, { THREADLINE_SHUTDOWN_TIMEOUT_MS: '120000' });
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
    // Signal once the server is visibly storing the batch (its first profiles
    // are written; WAL lets this read run beside it), not after a fixed wait.
    const reader = new SQLite(db, { readonly: true, fileMustExist: true });
    const profiles = () => (reader.prepare('select count(*) as n from profiles').get() as { n: number }).n;
    while (profiles() === 0) await new Promise((r) => setTimeout(r, 20));
    reader.close();
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
  }, 180_000);

  it('takes the CSV import cap from THREADLINE_IMPORT_MAX_BYTES', async () => {
    const db = tempSqlite();
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
