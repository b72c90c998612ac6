import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readIncoming } from './json-body.js';

/** A stand-in for a Node request: a stream that emits 'close' after 'end', as a request does once answered. */
const incoming = () => new PassThrough() as unknown as IncomingMessage & PassThrough;
const listeners = (req: IncomingMessage) => ['data', 'end', 'close'].map((e) => req.listenerCount(e));

describe('readIncoming', () => {
  it('answers the body and leaves no data, end or close listener behind, so the close after it costs nothing', async () => {
    const req = incoming();
    const read = readIncoming(req, 100);
    req.write('{"batch":');
    req.end('[]}');
    expect((await read).toString()).toBe('{"batch":[]}');
    expect(listeners(req)).toEqual([0, 0, 0]);
    req.emit('close');
    // An 'error' listener stays: a late socket error is not an unhandled 'error' event.
    expect(() => req.emit('error', new Error('ECONNRESET'))).not.toThrow();
  });

  it('fails when the connection closes before the body ends', async () => {
    const req = incoming();
    const read = readIncoming(req, 100);
    req.write('{"batch":');
    req.emit('close');
    await expect(read).rejects.toThrow('body: the connection closed before the body arrived');
    expect(listeners(req)).toEqual([0, 0, 0]);
  });

  it('refuses a body past the limit as soon as it passes it, naming body', async () => {
    const req = incoming();
    const read = readIncoming(req, 10);
    req.write('0123456789');
    req.write('x');
    await expect(read).rejects.toMatchObject({ status: 413, field: 'body' });
    expect(listeners(req)).toEqual([0, 0, 0]);
  });
});
