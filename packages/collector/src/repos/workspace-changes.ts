import { PostgresAdapter, sql } from 'kysely';
import pg from 'pg';
import type { Db } from './db.js';

/** The PostgreSQL channel on which a workspace's settings, keys or webhook endpoints are announced as changed. */
export const WORKSPACE_CHANNEL = 'threadline_workspaces';

/**
 * Tells every collector process on this PostgreSQL that a workspace changed
 * (payload: its ID), so each drops what it cached of it. Inside a transaction
 * PostgreSQL delivers the notice only at commit. On SQLite there is one
 * process, which has already dropped its own cache: nothing to do.
 *
 * @example
 * await announceWorkspaceChange(db, workspace.id);
 */
export async function announceWorkspaceChange(db: Db, workspaceId: string): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_notify(${WORKSPACE_CHANNEL}, ${workspaceId})`.execute(db);
}

export interface ChangeListener {
  close(): Promise<void>;
}

/**
 * Listens on WORKSPACE_CHANNEL on a connection of its own (a pooled one
 * would miss notices while lent out). `onChange(id)` runs for each notice;
 * `onChange(undefined)` when the connection is lost or comes back, because
 * notices sent meanwhile are gone: the caller forgets everything then.
 *
 * @example
 * const listener = listenForWorkspaceChanges(url, (id) => directory.invalidate(id), logger);
 */
export function listenForWorkspaceChanges(
  url: string,
  onChange: (workspaceId: string | undefined) => void,
  log: { warn(obj: object, msg: string): void },
  retryMs = 1_000,
): ChangeListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', (n) => n.channel === WORKSPACE_CHANNEL && n.payload && onChange(n.payload));
    c.on('error', (err) => lost(c, err));
    try {
      await c.connect();
      await c.query(`LISTEN ${WORKSPACE_CHANNEL}`);
      // Anything announced before LISTEN took hold is unseen: start from nothing cached.
      onChange(undefined);
    } catch (err) {
      lost(c, err);
    }
  };
  const lost = (c: pg.Client, err: unknown) => {
    if (closed || client !== c) return;
    client = undefined;
    onChange(undefined);
    log.warn({ err }, 'workspace change listener lost its connection: reconnecting');
    c.end().catch(() => {});
    retry = setTimeout(() => void connect(), retryMs);
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
