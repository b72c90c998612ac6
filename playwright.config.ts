import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/support/chromium.js';
import { COLLECTOR, COLLECTOR_PORT, FIXTURES_PORT, SECRET_KEY, WRITE_KEY } from './e2e/support/env.js';

// A fresh SQLite file per run, so specs start from an empty workspace. Made once: the
// config is loaded again in each worker, which finds it in the environment it inherits.
// globalSetup's teardown removes it.
process.env.THREADLINE_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'threadline-e2e-'));
const dataDir = process.env.THREADLINE_E2E_DATA;
// The SDK build under test: packages/sdk/dist, or a copy named by E2E_SDK_DIST (a build
// kept still while the SDK is being rebuilt; its index.js must resolve idb-keyval and js-cookie).
const sdkDist = resolve(process.env.E2E_SDK_DIST ?? 'packages/sdk/dist');

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    trace: 'off',
  },
  webServer: [
    {
      command: 'npx tsx packages/collector/src/server.ts',
      url: `${COLLECTOR}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: {
        PORT: String(COLLECTOR_PORT),
        THREADLINE_DB: join(dataDir, 'e2e.db'),
        THREADLINE_WRITE_KEY: WRITE_KEY,
        THREADLINE_SECRET_KEY: SECRET_KEY,
        THREADLINE_SDK_SCRIPT: join(sdkDist, 'threadline.js'),
        LOG_LEVEL: 'warn',
      },
    },
    {
      command: 'node e2e/support/serve-fixtures.mjs',
      url: `http://127.0.0.1:${FIXTURES_PORT}/fixtures/`,
      reuseExistingServer: false,
      timeout: 10_000,
      env: { E2E_FIXTURES_PORT: String(FIXTURES_PORT), E2E_COLLECTOR: COLLECTOR, E2E_WRITE_KEY: WRITE_KEY, E2E_SDK_DIST: sdkDist },
    },
  ],
});
