import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import type { RouteDeps } from '../../env.js';
import type { ConsoleEnv } from '../../middleware/console-env.js';
import { consoleAuth } from '../../middleware/console-session.js';
import { consoleAssetRoutes, POPUP_STYLE_HASHES } from './assets.js';
import { consoleAuthRoutes, consoleSignOutRoute } from './auth.js';
import { consoleErrorPage } from './error-handler.js';
import { consoleImportRoutes } from './imports.js';
import { consoleOverviewRoutes } from './overview.js';
import { consolePeopleRoutes } from './people.js';
import { consolePersonRoutes } from './person.js';
import { consolePopupRoutes } from './popups.js';
import { consoleSegmentRoutes } from './segments.js';
import { consoleSettingsRoutes } from './settings.js';
import { consoleTriggerRoutes } from './triggers.js';
import { consoleWebhookRoutes } from './webhooks.js';

/**
 * The console (issue 11) under /console: server-rendered pages over the same
 * services as the admin API. Order: security headers and the Origin check on
 * everything, public assets and sign-in, then the session (and CSRF token)
 * check before every page.
 */
export function consoleRoutes(deps: RouteDeps) {
  const app = new Hono<ConsoleEnv>();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", POPUP_STYLE_HASHES.element],
        styleSrcAttr: ["'unsafe-hashes'", POPUP_STYLE_HASHES.attribute],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    }),
  );
  app.use('*', csrf());
  app.route('/assets', consoleAssetRoutes());
  app.route('/', consoleAuthRoutes(deps));
  app.use('*', consoleAuth(deps));
  app.route('/', consoleSignOutRoute(deps));
  app.route('/', consoleOverviewRoutes(deps));
  app.route('/people', consolePeopleRoutes(deps));
  app.route('/people', consolePersonRoutes(deps));
  app.route('/segments', consoleSegmentRoutes(deps));
  app.route('/imports', consoleImportRoutes(deps));
  app.route('/popups', consolePopupRoutes(deps));
  app.route('/settings', consoleSettingsRoutes(deps));
  app.route('/webhooks', consoleWebhookRoutes(deps));
  app.route('/triggers', consoleTriggerRoutes(deps));
  app.onError(consoleErrorPage(deps));
  return app;
}
