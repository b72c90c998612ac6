import { describe, expect, it } from 'vitest';
import { trackMessage } from '../test-support/fakes.js';
import { byteLength, encodeBatch } from './encode.js';

describe('encodeBatch', () => {
  it('builds the /v1/batch body with sentAt on the request and on each message', () => {
    const sentAt = '2025-03-01T10:00:05.000Z';
    const body = JSON.parse(encodeBatch([trackMessage('m1'), trackMessage('m2')], 'wk_123', sentAt));
    expect(body.writeKey).toBe('wk_123');
    expect(body.sentAt).toBe(sentAt);
    expect(body.batch.map((m: { messageId: string; sentAt: string }) => [m.messageId, m.sentAt])).toEqual([
      ['m1', sentAt],
      ['m2', sentAt],
    ]);
    expect(body.batch[0].timestamp).toBe('2025-03-01T10:00:00.000Z');
  });
});

describe('byteLength', () => {
  it('counts UTF-8 bytes', () => {
    expect(byteLength('aé😀')).toBe(1 + 2 + 4);
  });
});
