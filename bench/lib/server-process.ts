import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The node flags `npm start` runs the collector with (the root package.json's
 * `start` script, `node [flags] scripts/start.mjs`). Every bench server gets
 * them, the bare and baseline servers too, so a ratio compares code only.
 */
export const START_NODE_FLAGS: readonly string[] = (() => {
  const start: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const shape = /^node((?: --\S+)*) scripts\/start\.mjs$/.exec(start);
  if (!shape) throw new Error(`package.json's start script is not \`node [flags] scripts/start.mjs\`: ${start}`);
  return shape[1]!.split(' ').filter(Boolean);
})();

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// The bench stops by itself, also on Ctrl-C or a crash: no server outlives it.
const killAll = () => running.forEach((c) => c.kill('SIGKILL'));
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (killAll(), process.exit(130)));

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs a server in its own process on a free loopback port and waits for its
 * /health: a JavaScript `entry` (a compiled bundle, bench/lib/compiled.ts)
 * with node, a TypeScript one through tsx. The child gets PORT and `env`, and
 * node START_NODE_FLAGS; `nodeArgs` go to node after tsx is registered
 * (e.g. another --import).
 * @example const s = await startServer('packages/collector/dist/server.js', { THREADLINE_DB: path }); await s.stop();
 */
export async function startServer(entry: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...START_NODE_FLAGS, ...loader, ...nodeArgs, entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`${entry} did not answer ${url}/health within 30 s:\n${stderr}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve(void running.delete(child));
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => (clearTimeout(force), running.delete(child), resolve()));
        child.kill('SIGTERM');
      }),
  };
}
