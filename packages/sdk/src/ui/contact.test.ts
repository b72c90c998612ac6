import { describe, expect, it } from 'vitest';
import { contactValue } from './contact.js';

describe('contactValue: the one check of form capture, the embed and the popup form', () => {
  it.each([
    ['email', ' ana@example.com ', 'ana@example.com'],
    ['email', 'ana@example', undefined],
    ['email', 'ana example@x.com', undefined],
    ['email', `${'a'.repeat(250)}@x.com`, undefined],
    ['phone', '(415) 555-2671', '(415) 555-2671'],
    ['phone', '+44 7700 900123', '+44 7700 900123'],
    ['phone', '07700.900.123', '07700.900.123'],
    ['phone', '12345', undefined],
    ['phone', '+1234567890123456', undefined],
    ['phone', 'call me', undefined],
    ['phone', '555-CALL-NOW', undefined],
    ['email', 42, undefined],
    ['email', '', undefined],
    ['email', 'ana@', undefined],
    ['email', '@example.com', undefined],
    ['phone', '+91 98765 43210', '+91 98765 43210'],
    ['phone', '09876543210', '09876543210'],
    ['phone', '+44.20.7946.0958', '+44.20.7946.0958'],
    ['phone', '123 456', '123 456'], // 6 digits: the shortest national numbers; the collector decides
    ['phone', '', undefined],
    ['phone', '+1 555 CALL NOW', undefined],
    ['phone', '1234567890123456', undefined],
  ] as const)('%s %j → %j', (kind, raw, expected) => {
    expect(contactValue(kind, raw)).toBe(expected);
  });
});
