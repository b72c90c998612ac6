import type { Database } from '../db/connection.js';
import type { Workspace } from '../repos/workspaces.js';

/** What a service call needs: the store, the workspace, and injected clock and ID generator. */
export interface ServiceContext {
  database: Database;
  workspace: Workspace;
  now: () => number;
  newId: () => string;
}
