import { afterEach, beforeEach } from 'vitest';
import type { Database } from '../db/connection.js';
import type { TestDatabase } from './databases.js';

/**
 * A fresh store for every test of the enclosing describe, closed after it.
 * The handle is filled in place before each test (as useTestApp's is), so a
 * describe's own beforeEach registered after this call finds it open.
 *
 * @example
 * const database = useStore(store);
 * it('…', async () => { await database.db.selectFrom('events').execute(); });
 */
export function useStore(store: TestDatabase): Database {
  const handle = {} as Database;
  beforeEach(async () => {
    Object.assign(handle, await store.open());
  });
  afterEach(async () => {
    await handle.close();
  });
  return handle;
}
