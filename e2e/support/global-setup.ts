import { rm } from 'node:fs/promises';
import { COLLECTOR, FIXTURES_PORT } from './env.js';

const FIXTURES = `http://127.0.0.1:${FIXTURES_PORT}`;

/**
 * Runs once the servers are up: fails the run at once, with the fix, when the
 * SDK is not built (every spec would fail on its own otherwise), and makes both
 * servers read the build now, so a rebuild during the run cannot reach them.
 * Answers the teardown: the run's SQLite store (playwright.config.ts) is removed.
 */
// A default export: the form Playwright loads a globalSetup file in.
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const url of [`${COLLECTOR}/threadline.js`, `${FIXTURES}/sdk/threadline.js`, `${FIXTURES}/examples/spa/dist/app.js`]) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url} answered ${res.status}: build first with "npm run build"`);
  }
  const dataDir = process.env.THREADLINE_E2E_DATA;
  return async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
