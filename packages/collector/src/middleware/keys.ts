import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors.js';
import type { AppEnv } from '../env.js';
import type { WorkspaceDirectory } from '../services/workspace-directory.js';

const bearer = (c: Context) => /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();

/** The user part of HTTP Basic, as Segment's tracking API takes the write key. */
function basicUser(c: Context): string | undefined {
  const m = /^Basic\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded.split(':')[0] || undefined;
}

/**
 * Tracking routes: the public write key (HTTP Basic user or `writeKey` in the
 * body) makes unverified claims; the secret key as a Bearer token makes
 * verified ones, for a site's backend (SPEC §2).
 */
export const writeKey = (workspaces: WorkspaceDirectory) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const secret = bearer(c);
    if (secret) {
      const ws = await workspaces.byKey('secret_key', secret);
      if (!ws) throw badKey();
      c.set('workspace', ws);
      c.set('verified', true);
      return next();
    }
    const body = c.get('body') as { writeKey?: unknown } | undefined;
    const key = basicUser(c) ?? (typeof body?.writeKey === 'string' ? body.writeKey : undefined);
    if (!key) throw new DomainError('missing_key', 'writeKey: a write key is required (HTTP Basic user or "writeKey" in the body)', 401, 'writeKey');
    const ws = await workspaces.byKey('write_key', key);
    if (!ws) throw badKey();
    c.set('workspace', ws);
    c.set('verified', false);
    await next();
  });

/** Admin routes: the secret key only. The write key is public and reads nothing. */
export const secretKey = (workspaces: WorkspaceDirectory) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = bearer(c);
    if (!key) throw new DomainError('missing_key', 'Authorization: the secret key is required as "Bearer <key>"', 401, 'Authorization');
    const ws = await workspaces.byKey('secret_key', key);
    if (!ws) throw badKey();
    c.set('workspace', ws);
    c.set('verified', true);
    await next();
  });

const badKey = () => new DomainError('invalid_key', 'the key is not valid for any workspace', 401);
