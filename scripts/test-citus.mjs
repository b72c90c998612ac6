// `npm run test:citus`: the Citus suite (vitest.citus.config.ts) on the
// coordinator in THREADLINE_TEST_CITUS_URL. Without one it is skipped with a
// message, unless THREADLINE_REQUIRE_CITUS=1 (CI), which makes that a failure.
import { spawnSync } from 'node:child_process';

const url = process.env.THREADLINE_TEST_CITUS_URL;
if (!url) {
  const how = 'start one with scripts/citus-test-cluster.sh and set THREADLINE_TEST_CITUS_URL';
  if (process.env.THREADLINE_REQUIRE_CITUS === '1') {
    console.error(`test:citus: THREADLINE_REQUIRE_CITUS=1 but THREADLINE_TEST_CITUS_URL is not set: ${how}`);
    process.exit(1);
  }
  console.warn(`test:citus: skipped, no Citus cluster (${how})`);
  process.exit(0);
}
const run = spawnSync('npx', ['vitest', 'run', '-c', 'vitest.citus.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
