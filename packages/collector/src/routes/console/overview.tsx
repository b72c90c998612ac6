import { Hono } from 'hono';
import { OverviewPage } from '../../console/overview-page.js';
import type { RouteDeps } from '../../env.js';
import { type ConsoleEnv, consoleServices } from '../../middleware/console-env.js';
import { consoleOverview } from '../../services/console-overview.js';
import { workspaceStats } from '../../services/stats.js';

/** The overview page, and the counts its script polls (the admin API's GET /api/stats, for the session). */
export function consoleOverviewRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) =>
    c.html(<OverviewPage csrfToken={c.get('csrfToken')} overview={await consoleOverview(consoleServices(c, deps))} />),
  );
  app.get('/live', async (c) => c.json(await workspaceStats(consoleServices(c, deps))));
  return app;
}
