import type { Db } from './db.js';

export interface ConsoleSessionRecord {
  id: string;
  workspaceId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertConsoleSession(db: Db, s: ConsoleSessionRecord): Promise<void> {
  await db
    .insertInto('console_sessions')
    .values({ id: s.id, workspace_id: s.workspaceId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt })
    .execute();
}

/** The session stored under a token hash, if it has not expired at `now`. */
export async function findConsoleSession(db: Db, id: string, now: number): Promise<ConsoleSessionRecord | undefined> {
  const r = await db.selectFrom('console_sessions').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
  return (
    r && {
      id: r.id,
      workspaceId: r.workspace_id,
      csrfToken: r.csrf_token,
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
    }
  );
}

export async function deleteConsoleSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id', '=', id).execute();
}

export async function deleteExpiredConsoleSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
}
