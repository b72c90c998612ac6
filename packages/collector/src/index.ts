export { createApp } from './app.js';
export { loadConfig, type Config } from './config.js';
export { openDatabase, type Database } from './db/connection.js';
export { createLogger } from './logger.js';
export { ensureDefaultWorkspace, type Workspace } from './repos/workspaces.js';
export type { AppDeps } from './env.js';
