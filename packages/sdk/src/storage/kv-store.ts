import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { attempt } from '../util/guard.js';

/** Versioned name: a new storage format is a new database, never a reinterpretation. */
export const DB_NAME = 'threadline-v1';

/**
 * The SDK's one IndexedDB object store. idb-keyval creates one object store per
 * database, so the anonymous-ID mirror, the identity hashes and the queue share
 * it and are told apart by key (`aid`, `ids`, `['q', time, messageId]`).
 * Lazy: nothing is opened until the first read or write.
 * @example const store = openKvStore(); const [aid] = await readKv(store, (s) => [s.get('aid')]);
 */
export function openKvStore(dbName = DB_NAME): UseStore {
  return createStore(dbName, 'kv');
}

/**
 * Runs read requests in one transaction and answers their results in order;
 * rejects (never throws) when IndexedDB is missing.
 * @example const [aid, ids] = await readKv(store, (s) => [s.get('aid'), s.get('ids')]);
 */
export function readKv(store: UseStore, requests: (s: IDBObjectStore) => IDBRequest[]): Promise<unknown[]> {
  return attempt(() => store('readonly', (s) => Promise.all(requests(s).map(promisifyRequest))));
}

/**
 * Puts `[key, value]` pairs and deletes keys in one transaction, resolved when
 * it commits; rejects (never throws) when IndexedDB is missing. This is
 * idb-keyval's setMany/delMany over our store, without the default store they
 * would pull into the bundle.
 * @example await writeKv(store, [['aid', id]]);
 */
export function writeKv(store: UseStore, put: [IDBValidKey, unknown][], del: IDBValidKey[] = []): Promise<void> {
  return attempt(() =>
    store('readwrite', (s) => {
      put.forEach(([k, v]) => s.put(v, k));
      del.forEach((k) => s.delete(k));
      return promisifyRequest(s.transaction);
    }),
  );
}

/**
 * Empties the SDK's object store (consent denied, SPEC §7): the mirror, the
 * identity hashes, the queue and the popups' caps. Where this page never
 * opened the database it is deleted instead, so nothing is created to be
 * cleared; a page that holds it open could not delete it until it closes.
 * @example forgetKv(store, opened);
 */
export function forgetKv(store: UseStore, opened: boolean, dbName = DB_NAME): Promise<void> {
  return attempt(() =>
    opened ? store('readwrite', (s) => (s.clear(), promisifyRequest(s.transaction))) : promisifyRequest(indexedDB.deleteDatabase(dbName)),
  ).then(() => undefined);
}
