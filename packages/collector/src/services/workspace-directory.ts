import { keyDigest } from '../db/key-digest.js';
import type { Db } from '../repos/db.js';
import { findWorkspaceByKey, type Workspace } from '../repos/workspaces.js';

export interface WorkspaceDirectory {
  byKey(kind: 'write_key' | 'secret_key', key: string): Promise<Workspace | undefined>;
  /** Forget every cached workspace: after its settings or keys change in this process. */
  invalidate(): void;
}

/**
 * Workspaces by key, cached for `ttlMs` so the tracking API does not read the
 * workspace on every request. A change made through this process's admin API
 * is seen at once (it invalidates); one made by another collector process
 * sharing the database, within `ttlMs`. Unknown keys are not cached, so a
 * flood of bad keys cannot fill memory.
 */
export function createWorkspaceDirectory(db: Db, now: () => number, ttlMs = 5_000): WorkspaceDirectory {
  const cache = new Map<string, { workspace: Workspace; until: number }>();
  return {
    async byKey(kind, key) {
      // No key holds a NUL: refused unread (401).
      if (key.includes('\u0000')) return undefined;
      // Cached by digest: a Map lookup then compares hashes, never the key itself.
      const id = `${kind}:${keyDigest(key)}`;
      const hit = cache.get(id);
      if (hit && hit.until > now()) return hit.workspace;
      const workspace = await findWorkspaceByKey(db, kind, key);
      if (workspace) cache.set(id, { workspace, until: now() + ttlMs });
      else cache.delete(id);
      return workspace;
    },
    invalidate: () => cache.clear(),
  };
}
