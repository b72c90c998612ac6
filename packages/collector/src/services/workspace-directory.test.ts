import { describe, expect, it } from 'vitest';
import { ensureDefaultWorkspace, saveSettings } from '../repos/workspaces.js';
import { testDatabases } from '../test-support/databases.js';
import { createWorkspaceDirectory } from './workspace-directory.js';
import { keyDigest } from '../db/key-digest.js';

const [sqlite] = await testDatabases();

describe('workspace directory', () => {
  it('serves a cached workspace until the TTL passes or it is invalidated, and never caches unknown keys', async () => {
    const database = await sqlite!.open();
    let clock = 0;
    const { workspace } = await ensureDefaultWorkspace(database.db, {}, 0);
    const directory = createWorkspaceDirectory(database.db, () => clock, 1000);
    expect((await directory.byKey('write_key', workspace.writeKey))?.settings.primaryKey).toBe('email');

    await saveSettings(database.db, workspace.id, { ...workspace.settings, primaryKey: 'phone' });
    expect((await directory.byKey('write_key', workspace.writeKey))?.settings.primaryKey).toBe('email');
    clock = 1001;
    expect((await directory.byKey('write_key', workspace.writeKey))?.settings.primaryKey).toBe('phone');

    await saveSettings(database.db, workspace.id, { ...workspace.settings, primaryKey: 'userId' });
    directory.invalidate();
    expect((await directory.byKey('write_key', workspace.writeKey))?.settings.primaryKey).toBe('userId');

    expect(await directory.byKey('write_key', 'wk_nobody')).toBeUndefined();
    await database.db
      .updateTable('workspaces')
      .set({ write_key: 'wk_nobody', write_key_hash: keyDigest('wk_nobody') })
      .execute();
    expect(await directory.byKey('write_key', 'wk_nobody')).toBeDefined();
    await database.close();
  });

  it('finds a workspace by the digest of its key and refuses a near miss', async () => {
    const database = await sqlite!.open();
    const { workspace } = await ensureDefaultWorkspace(database.db, { secretKey: 'sk_first' }, 0);
    const directory = createWorkspaceDirectory(database.db, () => 0, 1000);
    expect((await directory.byKey('secret_key', 'sk_first'))?.id).toBe(workspace.id);
    expect(await directory.byKey('secret_key', 'sk_firsT')).toBeUndefined();
    expect(await directory.byKey('write_key', 'sk_first')).toBeUndefined();
    // A key rotated by the environment is found by its new digest.
    await ensureDefaultWorkspace(database.db, { secretKey: 'sk_second' }, 0);
    directory.invalidate();
    expect((await directory.byKey('secret_key', 'sk_second'))?.id).toBe(workspace.id);
    expect(await directory.byKey('secret_key', 'sk_first')).toBeUndefined();
    await database.close();
  });
});
