import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { Config } from './config.js';
import cluster from 'node:cluster';
import { openDatabase } from './db/connection.js';
import { createLogger } from './logger.js';
import { ensureDefaultWorkspace } from './repos/workspaces.js';
import { applyServerLimits } from './server-limits.js';
import { drainOnStop } from './shutdown.js';
import { createWebhookWorker } from './services/webhook-worker.js';
import { loadWebhookConfig } from './webhook-config.js';
import { createAudienceWorker } from './services/audience-worker.js';
import { invalidateSubscriptions, setSubscribersTtl } from './repos/outbox.js';
import { listenForWorkspaceChanges } from './repos/workspace-changes.js';
import { createWorkspaceDirectory } from './services/workspace-directory.js';
import { seedDemoPopup } from './services/demo-seed.js';

/**
 * Runs one collector process: opens (and migrates) the store, serves, and on
 * SIGTERM or SIGINT drains and exits 0. The whole process when
 * THREADLINE_PROCESSES is 1, or one worker of the cluster (cluster-primary.ts).
 *
 * @example
 * await serveCollector(loadConfig());
 */
export async function serveCollector(config: Config): Promise<void> {
  const webhookConfig = loadWebhookConfig();
  const logger = createLogger(config.logLevel);
  // A cluster worker finds the store migrated by its primary (cluster-primary.ts).
  const database = await openDatabase(config.database, { migrate: !cluster.isWorker, pool: config.dbPool });
  const { workspace, created } = await ensureDefaultWorkspace(database.db, config, Date.now());
  if (created) await seedDemoPopup({ database, workspace, now: Date.now, newId: randomUUID });

  setSubscribersTtl(config.cacheTtlMs);
  const workspaces = createWorkspaceDirectory(database.db, Date.now, config.cacheTtlMs);
  // Several processes may share this PostgreSQL store: each drops a workspace another one changed.
  const changes =
    database.dialect === 'postgres'
      ? listenForWorkspaceChanges(
          config.database,
          (id) => {
            workspaces.invalidate(id);
            invalidateSubscriptions(id);
          },
          logger,
        )
      : undefined;
  const app = createApp({
    workspaces,
    database,
    logger,
    now: Date.now,
    newId: randomUUID,
    sdkScriptPath: config.sdkScriptPath,
    demoDir: config.demoDir,
    importMaxBytes: config.importMaxBytes,
  });
  // Outbound webhooks run beside the server, never inside a request (SPEC §9).
  const webhooks = createWebhookWorker({ database, logger, now: Date.now, ...webhookConfig });
  webhooks.start();
  // Live segment membership and triggers are kept by a background pass, so ingest only marks what changed.
  const audienceWorker = createAudienceWorker({
    database,
    logger,
    now: Date.now,
    newId: randomUUID,
    intervalMs: config.audienceIntervalMs,
  });
  audienceWorker.start();

  // Node ends any request still arriving after 5 minutes (requestTimeout). A CSV
  // import streams its body only as fast as it is settled, so a large one
  // arrives for longer: the whole-request limit is off (applyServerLimits puts
  // a body limit on every other request), while the limit on slow headers
  // (headersTimeout, 60 s) stays: Node derives it from requestTimeout, so it is
  // set here too.
  const serverOptions = { requestTimeout: 0, headersTimeout: 60_000 };
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions }, (info) => {
    const base = `http://${config.host}:${info.port}`;
    // Plain lines for a person at a terminal; the JSON log carries no keys.
    // One banner for a cluster: the first worker's (restarted workers stay quiet).
    if (cluster.worker && cluster.worker.id !== 1) return;
    console.log(
      [
        `Threadline collector on ${base} (${database.dialect}${created ? ', new workspace' : ''})`,
        `  write key:  ${workspace.writeKey}   (public: goes in the snippet)`,
        `  secret key: ${workspace.secretKey}   (private: Authorization: Bearer … for /api)`,
        `  script tag: ${base}/threadline.js    demo storefront: ${base}/demo/`,
        `  console:    ${base}/console             (sign in with the secret key)`,
      ].join('\n'),
    );
  });

  const httpServer = server as Server;
  applyServerLimits(httpServer, config);
  const drain = drainOnStop(httpServer);

  /** Stop taking connections, let requests in flight finish, then close the store. */
  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Only work that outlasts the grace period (a stuck query) reaches this.
    const force = setTimeout(() => {
      logger.error({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'requests still open after the shutdown timeout: exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await drain.stop();
    // Deliveries in flight are recorded before the store closes; the rest wait in the outbox.
    await webhooks.stop();
    await audienceWorker.stop();
    await changes?.close();
    await database.close();
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
