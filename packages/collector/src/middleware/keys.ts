import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors.js';
import type { AppEnv } from '../env.js';
import type { WorkspaceDirectory } from '../services/workspace-directory.js';
import { requestHeader } from './node-request.js';

const bearer = (c: Context) => /^Bearer\s+(.+)$/i.exec(requestHeader(c, 'authorization') ?? '')?.[1]?.trim();

/** The user part of HTTP Basic, as Segment's tracking API takes the write key. */
function basicUser(c: Context): string | undefined {
  const m = /^Basic\s+(.+)$/i.exec(requestHeader(c, 'authorization') ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded.split(':')[0] || undefined;
}

/**
 * Public routes: the write key (HTTP Basic user, or `writeKey` in the body,
 * or in the query for public GETs) makes unverified claims; the secret key as
 * a Bearer token makes verified ones, for a site's backend (SPEC §2).
 */
export const writeKey = (workspaces: WorkspaceDirectory, from: 'body' | 'query' = 'body') =>
  createMiddleware<AppEnv>(async (c, next) => {
    const secret = bearer(c);
    if (secret) {
      await enter(c, workspaces, 'secret_key', secret);
      return next();
    }
    // A browser GET keeps CORS-simple (no preflight) only without an
    // Authorization header, so public reads take the key in the query.
    const given = from === 'query' ? c.req.query('writeKey') : (c.get('body') as { writeKey?: unknown } | undefined)?.writeKey;
    const key = basicUser(c) ?? (typeof given === 'string' ? given : undefined);
    if (!key)
      throw new DomainError(
        'missing_key',
        `writeKey: a write key is required (HTTP Basic user or "writeKey" in the ${from})`,
        401,
        'writeKey',
      );
    await enter(c, workspaces, 'write_key', key);
    await next();
  });

/** Admin routes: the secret key only. The write key is public and reads nothing. */
export const secretKey = (workspaces: WorkspaceDirectory) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = bearer(c);
    if (!key) throw new DomainError('missing_key', 'Authorization: the secret key is required as "Bearer <key>"', 401, 'Authorization');
    await enter(c, workspaces, 'secret_key', key);
    await next();
  });

/** Sets the request's workspace from a key, or refuses it; the secret key's claims are verified. */
async function enter(c: Context<AppEnv>, workspaces: WorkspaceDirectory, kind: 'write_key' | 'secret_key', key: string) {
  const ws = await workspaces.byKey(kind, key);
  if (!ws) throw new DomainError('invalid_key', 'the key is not valid for any workspace', 401);
  c.set('workspace', ws);
  c.set('verified', kind === 'secret_key');
}
