import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../server.ts', import.meta.url));
export const PROCESS_KEYS = { THREADLINE_WRITE_KEY: 'wk_process_test_1', THREADLINE_SECRET_KEY: 'sk_process_test_1' };

export interface CollectorProcess {
  child: ChildProcess;
  base: string;
  /** Calls the admin API with the secret key. */
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  /** Sends one identify with the write key. */
  identify(anonymousId: string, email: string): Promise<void>;
  /** SIGTERM, and resolves with the exit code once it has shut down. */
  stop(): Promise<number | null>;
}

/** The real Node entry (server.ts through tsx) on a free port, resolved once it listens. */
export function startCollector(env: Record<string, string>): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, ...PROCESS_KEYS, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c) => (err = (err + c).slice(-4000)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(handle(child, m[1]!));
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code} before listening: ${out}${err}`)));
  });
}

function handle(child: ChildProcess, base: string): CollectorProcess {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    base,
    async admin(path, init = {}) {
      const res = await fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${PROCESS_KEYS.THREADLINE_SECRET_KEY}`, 'Content-Type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async identify(anonymousId, email) {
      const res = await fetch(`${base}/v1/identify`, {
        method: 'POST',
        body: JSON.stringify({
          writeKey: PROCESS_KEYS.THREADLINE_WRITE_KEY,
          messageId: `m-${anonymousId}`,
          anonymousId,
          traits: { email },
        }),
      });
      if (res.status !== 200) throw new Error(`identify answered ${res.status}: ${await res.text()}`);
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The pid that answers /health on a connection of its own (a kept-alive one would always reach the same worker). */
export function healthPid(base: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}/health`, { agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(JSON.parse(text).pid));
    }).on('error', reject);
    // A connection handed to a worker as it is killed is never answered: give up on it, the caller asks again.
    req.setTimeout(2_000, () => req.destroy(new Error('no answer')));
  });
}
