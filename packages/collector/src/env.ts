import type { Logger } from 'pino';
import type { Database } from './db/connection.js';
import type { Workspace } from './repos/workspaces.js';
import type { WorkspaceDirectory } from './services/workspace-directory.js';

/** Everything createApp needs, passed in so tests build apps on their own store, clock and IDs. */
export interface AppDeps {
  database: Database;
  logger: Logger;
  now: () => number;
  newId: () => string;
  /** The script-tag build served at /threadline.js. */
  sdkScriptPath: string;
  /** The demo storefront served at /demo. */
  demoDir?: string;
  /** Cap on a streamed CSV import body (THREADLINE_IMPORT_MAX_BYTES); 1 GiB when unset. */
  importMaxBytes?: number;
  /** The workspace cache, when the server builds it (to invalidate it on a PostgreSQL notice); else createApp makes one. */
  workspaces?: WorkspaceDirectory;
}

/** What createApp hands its routes: the deps plus the pieces it builds once per app. */
export interface RouteDeps extends AppDeps {
  workspaces: WorkspaceDirectory;
}

export interface AppEnv {
  Variables: {
    workspace: Workspace;
    /** The request was made with the secret key: its claims are verified (SPEC §2). */
    verified: boolean;
    body: unknown;
    /** Bytes of the request body `body` was parsed from. */
    bodyBytes: number;
    requestId: string;
  };
}
