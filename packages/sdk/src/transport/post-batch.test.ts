import { describe, expect, it } from 'vitest';
import { accepted, fakeFetch } from '../test-support/fakes.js';
import { postBatch } from './post-batch.js';

const URL_ = 'https://collect.example.com/v1/batch';
const NOW = Date.parse('2025-03-01T10:00:00Z');
const reply = (status: number, body?: unknown, headers?: Record<string, string>) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers });

describe('postBatch', () => {
  it('POSTs a CORS-simple text/plain body with no other header', async () => {
    const fetch = fakeFetch();
    await postBatch(URL_, '{"batch":[]}', fetch);
    const { url, init } = fetch.calls[0]!;
    expect(url).toBe(URL_);
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'text/plain' });
    expect(init.body).toBe('{"batch":[]}');
    expect(init.keepalive).toBe(false);
  });

  it('sets keepalive for page hide', async () => {
    const fetch = fakeFetch();
    await postBatch(URL_, '{"batch":[]}', fetch, true);
    expect(fetch.calls[0]!.init.keepalive).toBe(true);
  });

  it('acknowledges a 200 and passes on the rejected messages', async () => {
    const rejected = [{ index: 1, messageId: 'm2', field: 'batch.1.event', reason: 'must not be empty' }];
    expect(await postBatch(URL_, '{}', fakeFetch(accepted(rejected)))).toEqual({ kind: 'ack', rejected });
  });

  it('acknowledges a 2xx without a readable body', async () => {
    expect(await postBatch(URL_, '{}', fakeFetch(reply(204)))).toEqual({ kind: 'ack', rejected: [] });
  });

  it('retries after a network error', async () => {
    expect(await postBatch(URL_, '{}', fakeFetch(new TypeError('Failed to fetch')))).toEqual({ kind: 'retry' });
  });

  it.each([500, 501, 505])('retries on %i, suspecting the payload', async (status) => {
    expect(await postBatch(URL_, '{}', fakeFetch(reply(status)))).toEqual({ kind: 'retry', suspect: true });
  });

  it.each([502, 503, 504, 408])('retries on %i without suspecting the payload (proxy, overload, timeout)', async (status) => {
    expect(await postBatch(URL_, '{}', fakeFetch(reply(status)))).toEqual({ kind: 'retry', suspect: false });
  });

  it('honours Retry-After on 429', async () => {
    const outcome = await postBatch(URL_, '{}', fakeFetch(reply(429, undefined, { 'Retry-After': '7' })), false, () => NOW);
    expect(outcome).toEqual({ kind: 'retry', afterMs: 7000 });
  });

  it('splits on 413', async () => {
    expect(await postBatch(URL_, '{}', fakeFetch(reply(413)))).toEqual({ kind: 'split' });
  });

  it.each([401, 403, 404])('stops on %i (wrong write key or host)', async (status) => {
    const outcome = await postBatch(URL_, '{}', fakeFetch(reply(status, { error: { code: 'unauthorized', message: 'bad write key' } })));
    expect(outcome).toEqual({ kind: 'stop', reason: `HTTP ${status}: bad write key` });
  });

  it('drops a batch answered 400', async () => {
    const outcome = await postBatch(URL_, '{}', fakeFetch(reply(400, { error: { code: 'bad_request', message: 'not JSON' } })));
    expect(outcome).toEqual({ kind: 'drop', reason: 'HTTP 400: not JSON' });
  });
});
