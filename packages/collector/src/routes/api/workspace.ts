import { Hono } from 'hono';
import { invalid } from '../../domain/errors.js';
import type { AppEnv, RouteDeps } from '../../env.js';
import { updateSettings } from '../../services/settings.js';
import { workspaceStats } from '../../services/stats.js';
import { serviceContext } from '../service-context.js';

/** Workspace-wide admin routes: settings and stats (SPEC §9). */
export function workspaceRoutes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  app.get('/settings', (c) => c.json(c.get('workspace').settings));
  app.patch('/settings', async (c) => {
    const body = await c.req.json().catch(() => {
      throw invalid('body', 'must be JSON');
    });
    const settings = await updateSettings(serviceContext(c, deps), body);
    await deps.workspaces.changed(c.get('workspace').id);
    return c.json(settings);
  });
  app.get('/stats', async (c) => c.json(await workspaceStats(serviceContext(c, deps))));
  return app;
}
