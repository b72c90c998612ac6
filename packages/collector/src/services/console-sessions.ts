import { createHash, randomBytes } from 'node:crypto';
import { deleteConsoleSession, deleteExpiredConsoleSessions, findConsoleSession, insertConsoleSession } from '../repos/console-sessions.js';
import type { Db } from '../repos/db.js';
import { getWorkspace, type Workspace } from '../repos/workspaces.js';
import type { WorkspaceDirectory } from './workspace-directory.js';

/** A console session lasts a working day; after that the secret key is asked for again. */
export const CONSOLE_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const token = () => randomBytes(32).toString('base64url');

export interface ConsoleSession {
  workspace: Workspace;
  csrfToken: string;
  expiresAt: number;
}

/**
 * Signs in with a workspace's secret key: answers the cookie token of a new
 * session, or undefined for a wrong key. Only the token's hash is stored, and
 * the key itself is never kept in the session.
 *
 * @example
 * const signed = await signInToConsole(db, workspaces, form.secretKey, Date.now());
 */
export async function signInToConsole(db: Db, workspaces: WorkspaceDirectory, secretKey: string, now: number) {
  const workspace = secretKey ? await workspaces.byKey('secret_key', secretKey) : undefined;
  if (!workspace) return undefined;
  await deleteExpiredConsoleSessions(db, now);
  const cookie = token();
  const expiresAt = now + CONSOLE_SESSION_TTL_MS;
  await insertConsoleSession(db, { id: hash(cookie), workspaceId: workspace.id, csrfToken: token(), createdAt: now, expiresAt });
  return { token: cookie, expiresAt };
}

/**
 * The live session a cookie token names, with its workspace read fresh (so
 * settings changed elsewhere show at once), or undefined.
 *
 * @example
 * const session = await consoleSession(db, getCookie(c, 'tl_console_v1'), Date.now());
 */
export async function consoleSession(db: Db, cookie: string | undefined, now: number): Promise<ConsoleSession | undefined> {
  if (!cookie) return undefined;
  const record = await findConsoleSession(db, hash(cookie), now);
  const workspace = record && (await getWorkspace(db, record.workspaceId));
  return record && workspace ? { workspace, csrfToken: record.csrfToken, expiresAt: record.expiresAt } : undefined;
}

/** Ends the session a cookie token names (nothing happens for an unknown one). */
export async function signOutOfConsole(db: Db, cookie: string | undefined): Promise<void> {
  if (cookie) await deleteConsoleSession(db, hash(cookie));
}
