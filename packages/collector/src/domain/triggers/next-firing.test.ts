import { describe, expect, it } from 'vitest';
import { nextFiring } from './next-firing.js';

const now = 1_000_000;
const wait = 3_600_000;

describe('nextFiring', () => {
  it('fires a first match that is reachable, and waits for one that is not', () => {
    expect(nextFiring(undefined, { matches: true, reachable: true }, now, wait)).toEqual({ kind: 'fire' });
    expect(nextFiring(undefined, { matches: true, reachable: false }, now, wait)).toEqual({ kind: 'wait', expiresAt: now + wait });
    expect(nextFiring(undefined, { matches: false, reachable: true }, now, wait)).toEqual({ kind: 'none' });
  });

  it('fires a waiting profile that became reachable in time, and expires one that did not', () => {
    const waiting = { status: 'waiting' as const, expiresAt: now + 1 };
    expect(nextFiring(waiting, { matches: true, reachable: true }, now, wait)).toEqual({ kind: 'fire' });
    expect(nextFiring(waiting, { matches: true, reachable: false }, now, wait)).toEqual({ kind: 'none' });
    expect(nextFiring({ ...waiting, expiresAt: now }, { matches: true, reachable: true }, now, wait)).toEqual({ kind: 'expire' });
  });

  it('cancels a wait that stops matching, and lets a cancelled one wait again', () => {
    expect(nextFiring({ status: 'waiting', expiresAt: now + 1 }, { matches: false, reachable: false }, now, wait)).toEqual({
      kind: 'cancel',
    });
    expect(nextFiring({ status: 'cancelled', expiresAt: now }, { matches: true, reachable: false }, now, wait)).toEqual({
      kind: 'wait',
      expiresAt: now + wait,
    });
  });

  it('never fires twice, nor after expiry', () => {
    for (const status of ['fired', 'expired'] as const)
      expect(nextFiring({ status, expiresAt: 0 }, { matches: true, reachable: true }, now, wait)).toEqual({ kind: 'none' });
  });
});
