import * as v from 'valibot';
import { DomainError, invalidFromIssues } from '../domain/errors.js';
import { SettingsPatchSchema, type Settings } from '../domain/settings.js';
import { storableOrThrow } from '../domain/storable-json.js';
import { countByStatus } from '../repos/profiles.js';
import { saveSettings } from '../repos/workspaces.js';
import type { ServiceContext } from './context.js';

/**
 * Applies a settings patch (SPEC §9). The primary key decides who is who, so
 * changing it once profiles exist would silently re-judge every merge: it is
 * refused unless the workspace is empty.
 */
export async function updateSettings(ctx: ServiceContext, patch: unknown): Promise<Settings> {
  const parsed = v.safeParse(SettingsPatchSchema, storableOrThrow(patch, ''));
  if (!parsed.success) throw invalidFromIssues(parsed.issues);
  const current = ctx.workspace.settings;
  const next: Settings = { ...current, ...parsed.output };
  if (next.primaryKey !== current.primaryKey) {
    const counts = await countByStatus(ctx.database.db, ctx.workspace.id);
    const profiles = counts.anonymous + counts.addressable + counts.identified;
    if (profiles > 0) {
      throw new DomainError(
        'primary_key_locked',
        `primaryKey: cannot change from ${current.primaryKey} to ${next.primaryKey} while the workspace has ${profiles} profiles`,
        409,
        'primaryKey',
      );
    }
  }
  await saveSettings(ctx.database.db, ctx.workspace.id, next);
  return next;
}
