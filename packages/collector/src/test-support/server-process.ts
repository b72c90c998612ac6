import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_ENTRY = fileURLToPath(new URL('../server.ts', import.meta.url));
export const SERVER_KEYS = { THREADLINE_WRITE_KEY: 'wk_server_test_1', THREADLINE_SECRET_KEY: 'sk_server_test_1' };

/** Starts the real Node entry on a free port and answers its base URL once it listens. */
export function startServer(db: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    env: { ...process.env, ...SERVER_KEYS, PORT: '0', THREADLINE_DB: db, LOG_LEVEL: 'warn', ...env },
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

/** The exit code, once the process has exited. */
export const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

/** A fresh SQLite file for one server. */
export const tempSqlite = () => join(mkdtempSync(join(tmpdir(), 'threadline-server-')), 'server.db');
