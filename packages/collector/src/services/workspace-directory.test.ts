import { describe, expect, it } from 'vitest';
import { ensureDefaultWorkspace, saveSettings } from '../repos/workspaces.js';
import { testDatabases } from '../test-support/databases.js';
import { createWorkspaceDirectory } from './workspace-directory.js';

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
    await database.db.updateTable('workspaces').set({ write_key: 'wk_nobody' }).execute();
    expect(await directory.byKey('write_key', 'wk_nobody')).toBeDefined();
    await database.close();
  });
});
