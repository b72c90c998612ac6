import { describe, expect, it } from 'vitest';
import { correctTimestamp } from './clock-skew.js';

const received = Date.parse('2026-01-01T12:00:00Z');

describe('correctTimestamp', () => {
  it('shifts the event by the client clock error', () => {
    // Client clock one hour fast: the event happened 5 s before it was sent.
    expect(correctTimestamp('2026-01-01T12:59:55Z', '2026-01-01T13:00:00Z', received)).toBe(received - 5000);
  });
  it('uses the receive time when the client sent no timestamp', () =>
    expect(correctTimestamp(undefined, undefined, received)).toBe(received));
  it('leaves a timestamp alone when the gap is only the request’s travel time', () => {
    expect(correctTimestamp('2026-01-01T11:59:59.000Z', '2026-01-01T11:59:59.800Z', received)).toBe(Date.parse('2026-01-01T11:59:59.000Z'));
  });
  it('never dates an event after it arrived', () => {
    expect(correctTimestamp('2026-01-01T12:00:00Z', '1970-01-01T00:00:00Z', received)).toBe(received);
    expect(correctTimestamp('2027-01-01T00:00:00Z', undefined, received)).toBe(received);
  });
  it('keeps the timestamp as given when there is no sentAt', () =>
    expect(correctTimestamp('2026-01-01T11:00:00Z', undefined, received)).toBe(Date.parse('2026-01-01T11:00:00Z')));
});
