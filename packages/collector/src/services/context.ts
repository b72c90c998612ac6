import type { Database } from '../db/connection.js';
import type { Workspace } from '../repos/workspaces.js';

/** What a service call needs: the store, the workspace, and injected clock and ID generator. */
export interface ServiceContext {
  database: Database;
  workspace: Workspace;
  now: () => number;
  newId: () => string;
  /**
   * Set inside a request's own SQLite transaction (services/request-transaction.ts):
   * `database.db` is then that transaction, and services write in it instead of opening their own.
   */
  inTransaction?: boolean;
}
