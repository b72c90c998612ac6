import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import {
  COUNTERS_KEY,
  countInSession,
  identifiedBefore,
  loadCounters,
  readSession,
  rememberIdentified,
  saveCounter,
} from './counters-store.js';
import { countOutcome } from './frequency.js';

let n = 0;
const freshStore = () => createStore(`popups-test-${++n}`, 'kv');
const memoryStorage = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
};

describe('caps counters in IndexedDB', () => {
  it("starts empty and keeps each rule's counts and times under one versioned key", async () => {
    const store = freshStore();
    expect(await loadCounters(store)).toEqual({});
    await saveCounter(store, 'r1', (c) => countOutcome(c, 'shown', 1000));
    await saveCounter(store, 'r1', (c) => countOutcome(c, 'dismissed', 2000));
    await saveCounter(store, 'r2', (c) => countOutcome(c, 'shown', 3000));
    expect(await loadCounters(store)).toEqual({ r1: { n: 1, t: 1000, d: 1 }, r2: { n: 1, t: 3000 } });
    expect(
      await store('readonly', (s) => new Promise((r) => (s.getAllKeys().onsuccess = (e) => r((e.target as IDBRequest).result)))),
    ).toEqual([COUNTERS_KEY]);
  });

  it('counts every impression when two tabs count at once', async () => {
    const store = freshStore();
    await Promise.all([1, 2, 3].map((t) => saveCounter(store, 'r1', (c) => countOutcome(c, 'shown', t))));
    expect((await loadCounters(store)).r1?.n).toBe(3);
  });

  it('answers no counters rather than fail where IndexedDB is unavailable', async () => {
    const broken = () => {
      throw new ReferenceError('indexedDB is not defined');
    };
    expect(await loadCounters(broken)).toEqual({});
    await expect(saveCounter(broken, 'r1', (c) => countOutcome(c, 'shown', 1))).rejects.toThrow('indexedDB');
  });
});

describe('session counts', () => {
  it('counts impressions per rule for the session', () => {
    const storage = memoryStorage();
    expect(readSession(storage)).toEqual({});
    countInSession(storage, 'r1');
    expect(countInSession(storage, 'r1')).toEqual({ r1: 2 });
    expect(readSession(storage)).toEqual({ r1: 2 });
    expect(storage.items.has(COUNTERS_KEY)).toBe(true);
  });

  it('survives a missing, throwing or garbled sessionStorage', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readSession(undefined)).toEqual({});
    expect(countInSession(throwing, 'r1')).toEqual({ r1: 1 });
    const garbled = memoryStorage();
    garbled.setItem(COUNTERS_KEY, '{not json');
    expect(readSession(garbled)).toEqual({});
  });
});

describe('identified in this session', () => {
  it('holds for the anonymous ID that identified, not for a new one after reset()', () => {
    const storage = memoryStorage();
    expect(identifiedBefore(storage, 'aid-1')).toBe(false);
    rememberIdentified(storage, 'aid-1');
    expect(identifiedBefore(storage, 'aid-1')).toBe(true);
    expect(identifiedBefore(storage, 'aid-2')).toBe(false);
    expect(identifiedBefore(storage, undefined)).toBe(false);
  });
});
