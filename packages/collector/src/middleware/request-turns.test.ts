import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../db/schema.js';
import { requestTurns } from './request-turns.js';

/** An echo in a process of its own: its reply stands for PostgreSQL's answer to a statement in flight. */
let echo: ChildProcessWithoutNullStreams;
beforeAll(async () => {
  echo = spawn(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)']);
  echo.stdin.write('ready\n');
  await once(echo.stdout, 'data');
});
afterAll(() => {
  echo.kill();
});

/** Holds the event loop for `ms`, as a request's parsing and validation do. */
const busy = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Five requests arriving together; the first sends a statement (a line to
 * the echo) and holds the event loop 200 ms, far longer than the answer takes
 * to come back, the others 1 ms each. What ran, in order.
 */
async function fiveRequests(dialect: Dialect): Promise<string[]> {
  const seen: string[] = [];
  const app = new Hono();
  app.post('/batch/:n', requestTurns(dialect), (c) => {
    const n = c.req.param('n');
    if (n === '1') {
      echo.stdout.once('data', () => seen.push('answer'));
      echo.stdin.write('statement\n');
    }
    busy(n === '1' ? 200 : 1);
    seen.push(`request ${n}`);
    return c.text('ok');
  });
  const answered = once(echo.stdout, 'data');
  const responses = await Promise.all([1, 2, 3, 4, 5].map((n) => app.request(`/batch/${n}`, { method: 'POST' })));
  await answered;
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  return seen;
}

describe('requestTurns', () => {
  it('on PostgreSQL lets requests in one an event-loop turn, in order, so an answer that came meanwhile is read before the next', async () => {
    expect(await fiveRequests('postgres')).toEqual(['request 1', 'answer', 'request 2', 'request 3', 'request 4', 'request 5']);
  });

  it('on SQLite lets them in as they come: the answer waits for all five', async () => {
    expect(await fiveRequests('sqlite')).toEqual(['request 1', 'request 2', 'request 3', 'request 4', 'request 5', 'answer']);
  });
});
