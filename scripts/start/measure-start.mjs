// Measures `npm start` (issue 12): seconds from launching scripts/start.mjs to
// the collector answering /health, for a first start (`--clean`: no build
// outputs, no stamps) and for a restart with nothing changed. The figures go
// to README.md ("Two commands") and BENCHMARKS.md ("Quick start").
// Usage: node scripts/start/measure-start.mjs [--clean]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.MEASURE_PORT ?? 8799);
const data = mkdtempSync(join(tmpdir(), 'threadline-start-'));

async function timeStart() {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), THREADLINE_DB: join(data, 'start.db'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error('scripts/start.mjs exited before serving');
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  return seconds;
}

if (process.argv.includes('--clean')) {
  for (const dir of ['packages/sdk/dist', 'examples/spa/dist', 'packages/collector/dist', 'node_modules/.cache/threadline']) {
    rmSync(join(root, dir), { recursive: true, force: true });
  }
  console.log(`first start (everything built): ${(await timeStart()).toFixed(1)} s`);
}
const restarts = [];
for (let i = 0; i < 3; i++) restarts.push(await timeStart());
console.log(`restart, nothing changed: ${restarts.map((s) => s.toFixed(2)).join(' / ')} s`);
rmSync(data, { recursive: true, force: true });
