// `npm start`: builds what changed since the last start, then runs the
// compiled collector in this process. Each build has a content stamp
// (scripts/start/stamp.mjs), so a restart with unchanged sources builds
// nothing and serves within a second or two (BENCHMARKS.md, "Quick start").
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildChanged } from './start/builds.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildChanged();
await import(pathToFileURL(join(root, 'packages/collector/dist/server.js')).href);
