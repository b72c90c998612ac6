import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { runPrimary } from './cluster-primary.js';
import { loadConfig } from './config.js';
import { serveCollector } from './serve-collector.js';

// The collector's entry: one process, or with THREADLINE_PROCESSES=N a primary
// that forks N workers running this same file (in the bundle, dist/server.js).
const config = loadConfig();
if (config.processes > 1 && cluster.isPrimary) await runPrimary(config, fileURLToPath(import.meta.url));
else await serveCollector(config);
