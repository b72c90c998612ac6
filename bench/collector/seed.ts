import { config } from '../config.js';
import { analyzeSeeded } from '../lib/database.js';
import { postAll } from '../lib/http.js';
import { seedBodies } from './traffic.js';

/** What the method texts say follows the seeding (seedVisitors). */
export const SEEDED_NOTE =
  "then, on PostgreSQL, `analyze`, as autovacuum does within a minute of a table's first rows: the measured work runs on plans made from the tables' statistics, whether or not autovacuum reached them during the seeding";

/**
 * Seeds `visitors` into the server at `url` (one first `page` each, through
 * the API), then refreshes the planner's statistics of its database
 * (`location`) on PostgreSQL, so what follows measures the steady state a
 * collector reaches once autovacuum has seen its tables, not its first minute.
 *
 * @example await seedVisitors(collector.url, location, anonymousIds(1000));
 */
export async function seedVisitors(url: string, location: string, visitors: string[]): Promise<void> {
  await postAll(`${url}/v1/batch`, seedBodies(config.writeKey, visitors));
  await analyzeSeeded(location);
}
