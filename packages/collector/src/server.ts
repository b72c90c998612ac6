import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { createLogger } from './logger.js';
import { ensureDefaultWorkspace } from './repos/workspaces.js';
import { seedDemoPopup } from './services/demo-seed.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config.database);
const { workspace, created } = await ensureDefaultWorkspace(database.db, config, Date.now());
if (created) await seedDemoPopup({ database, workspace, now: Date.now, newId: randomUUID });

const app = createApp({
  database,
  logger,
  now: Date.now,
  newId: randomUUID,
  sdkScriptPath: config.sdkScriptPath,
  demoDir: config.demoDir,
  importMaxBytes: config.importMaxBytes,
});
// Node ends any request still arriving after 5 minutes (requestTimeout). A CSV
// import streams its body only as fast as it is settled, so a large one
// arrives for longer: the whole-request limit is off, while the limit on
// slow headers (headersTimeout, 60 s) stays: Node derives it from
// requestTimeout, so it is set here too.
const serverOptions = { requestTimeout: 0, headersTimeout: 60_000 };
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions }, (info) => {
  const base = `http://${config.host}:${info.port}`;
  // Plain lines for a person at a terminal; the JSON log carries no keys.
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

/** Stop taking connections, let requests in flight finish, then close the store. */
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  server.close(async () => {
    await database.close();
    clearTimeout(force);
    process.exit(0);
  });
  // Keep-alive sockets would hold close() open until they time out.
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
