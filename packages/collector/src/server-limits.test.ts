import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_KEYS, startServer, tempSqlite } from './test-support/server-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw connection that sent `GET /health` (keep-alive); answers what came back before the server closed it, if it did. */
function healthOn(port: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      let text = '';
      const answer = new Promise<string>((done) => {
        socket.on('data', (d) => {
          text += d;
          if (text.includes('"ok":true')) done(text);
        });
        socket.on('close', () => done(text));
        socket.on('error', () => done(text));
      });
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      resolve({ socket, answer });
    });
    socket.on('error', () => {});
  });
}

describe('the Node entry’s limits', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('answers 408 naming body when a body does not arrive within THREADLINE_BODY_TIMEOUT_MS, but lets a CSV import stream', async () => {
    const server = await startServer(tempSqlite(), { THREADLINE_BODY_TIMEOUT_MS: '300' });
    child = server.child;
    const late = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(`${server.base}/v1/batch`, { method: 'POST', headers: { 'Content-Length': '100' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write('{"batch":'); // and nothing more
    });
    expect(late).toEqual({
      status: 408,
      body: { error: { code: 'request_timeout', message: expect.stringMatching(/^body: /), field: 'body' } },
    });

    const imported = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.base}/api/imports`,
        { method: 'POST', headers: { Authorization: `Bearer ${SERVER_KEYS.THREADLINE_SECRET_KEY}`, 'Content-Type': 'text/csv' } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write('email\nana@example.com\n');
      // Longer than the body limit: an import is exempt (it streams as fast as it is stored).
      void sleep(900).then(() => req.end('bo@example.com\n'));
    });
    expect(imported).toBe(201);
  }, 60_000);

  it('closes a connection past THREADLINE_MAX_CONNECTIONS unanswered, and serves again once one is free', async () => {
    const server = await startServer(tempSqlite(), { THREADLINE_MAX_CONNECTIONS: '2' });
    child = server.child;
    const port = Number(new URL(server.base).port);
    const first = await healthOn(port);
    const second = await healthOn(port);
    expect(await first.answer).toContain('200 OK');
    expect(await second.answer).toContain('200 OK');

    const third = await healthOn(port);
    expect(await third.answer).toBe('');

    first.socket.destroy();
    let again = '';
    for (let i = 0; i < 50 && !again.includes('200 OK'); i++) {
      await sleep(50);
      const next = await healthOn(port);
      again = await next.answer;
      next.socket.destroy();
    }
    expect(again).toContain('200 OK');
    second.socket.destroy();
  }, 60_000);
});
