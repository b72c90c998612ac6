import { describe, expect, it } from 'vitest';
import { blockListEntryProblem, isBlocked } from './block-list.js';

describe('block list', () => {
  it('matches patterns against the whole value, case-insensitively', () => {
    const list = ['*@placeholder.email', 'test@test.com'];
    expect(isBlocked('email', '1234@placeholder.email', list)).toBe(true);
    expect(isBlocked('email', 'x@PLACEHOLDER.email', list)).toBe(true);
    expect(isBlocked('email', 'x@placeholder.email.com', list)).toBe(false);
    expect(isBlocked('email', 'x@placeholderxemail', list)).toBe(false);
    expect(isBlocked('email', 'test@test.com', list)).toBe(true);
    expect(isBlocked('email', 'ana@example.com', list)).toBe(false);
  });
  it('matches a phone pattern against the E.164 form or the digits', () => {
    expect(isBlocked('phone', '+15555550100', ['+1555555*'])).toBe(true);
    expect(isBlocked('phone', '+15555550100', ['1555555*'])).toBe(true);
    expect(isBlocked('phone', '+14155552671', ['+1555555*'])).toBe(false);
  });
  it('keeps plain phones comparing by trailing digits', () => {
    expect(isBlocked('phone', '+10000000000', ['0000000000'])).toBe(true);
  });
  it('refuses patterns that would block nearly everything or hold spaces', () => {
    expect(blockListEntryProblem('*@placeholder.email')).toBeUndefined();
    expect(blockListEntryProblem('plain value with spaces')).toBeUndefined();
    expect(blockListEntryProblem('*')).toMatch(/at least 3 characters/);
    expect(blockListEntryProblem('*@*')).toMatch(/at least 3 characters/);
    expect(blockListEntryProblem('* @x.com')).toMatch(/spaces/);
  });
});
