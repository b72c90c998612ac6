import { Hono } from 'hono';
import { SettingsPage } from '../../console/settings-page.js';
import { DomainError } from '../../domain/errors.js';
import type { Settings } from '../../domain/settings.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleContext, type ConsoleEnv, consoleServices, formFields } from '../../middleware/console-env.js';
import { updateSettings } from '../../services/settings.js';
import { workspaceStats } from '../../services/stats.js';

async function snippetFor(host: string, writeKey: string) {
  const sdk = await import('@threadline/sdk').catch(() => undefined);
  return sdk ? sdk.snippet({ host, writeKey }) : '/* the SDK is not built: run npm run build */';
}

async function page(c: ConsoleContext, deps: RouteDeps, settings: Settings, notice: { error?: string; ok?: string } = {}) {
  const ctx = consoleServices(c, deps);
  const stats = await workspaceStats(ctx);
  const snippet = await snippetFor(new URL(c.req.url).origin, ctx.workspace.writeKey);
  const profiles = stats.contacts + stats.anonymous;
  return c.html(
    <SettingsPage
      csrfToken={c.get('csrfToken')}
      settings={settings}
      profiles={profiles}
      writeKey={ctx.workspace.writeKey}
      snippet={snippet}
      {...notice}
    />,
    notice.error ? 400 : 200,
  );
}

/** The form's fields as a settings patch; a disabled (locked) primary key is not posted, so not patched. */
function patchFrom(f: Record<string, string | string[]>) {
  const one = (k: string) => (Array.isArray(f[k]) ? f[k][0] : f[k])?.trim();
  const threshold = one('hardBounceThreshold');
  return {
    ...(one('primaryKey') ? { primaryKey: one('primaryKey') } : {}),
    defaultCountry: one('defaultCountry')?.toUpperCase() ?? '',
    blockList: (one('blockList') ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
    traitConflictPolicy: one('traitConflictPolicy'),
    hardBounceThreshold: threshold && /^\d+$/.test(threshold) ? Number(threshold) : threshold,
    verifiedLinksOnly: Boolean(one('verifiedLinksOnly')),
  };
}

/** Settings through the admin API's updateSettings (the primary-key lock included). */
export function consoleSettingsRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', (c) => page(c, deps, c.get('workspace').settings));
  app.post('/', async (c) => {
    try {
      const settings = await updateSettings(consoleServices(c, deps), patchFrom(await formFields(c)));
      deps.workspaces.invalidate();
      return page(c, deps, settings, { ok: 'Settings saved.' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(c, deps, c.get('workspace').settings, { error: err.message });
    }
  });
  return app;
}
