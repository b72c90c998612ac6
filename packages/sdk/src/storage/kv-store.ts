import { createStore, type UseStore } from 'idb-keyval';

/** Versioned name: a new storage format is a new database, never a reinterpretation. */
export const DB_NAME = 'threadline-v1';

/**
 * The SDK's one IndexedDB object store. idb-keyval creates one object store per
 * database, so the anonymous-ID mirror, the identity hashes and the queue share
 * it and are told apart by key (`aid`, `ids`, `['q', time, messageId]`).
 * Lazy: nothing is opened until the first read or write.
 * @example const store = openKvStore(); await get('aid', store);
 */
export function openKvStore(dbName = DB_NAME): UseStore {
  return createStore(dbName, 'kv');
}
