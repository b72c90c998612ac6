import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/connection.js';
import { timelineQuery } from './events.js';

// SQLite plans without statistics, so the plan is the same on an empty store
// as on a large one: what it reads first is what a timeline costs.
describe('the timeline on SQLite', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase(':memory:');
  });
  afterAll(() => database.close());

  const planOf = async (after?: Parameters<typeof timelineQuery>[4]) => {
    const q = timelineQuery(database.db, 'w', 'p', 1001, after).compile();
    const { rows } = await database.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]),
    );
    return rows.map((r) => r.detail);
  };

  it("starts from the profile's identities and finds their events by source, never scanning the workspace's events", async () => {
    for (const after of [undefined, { timestamp: 1, receivedAt: 1, seq: 0, messageId: 'm' }]) {
      const plan = await planOf(after);
      expect(plan[0]).toMatch(/^SEARCH i USING INDEX identities_profile \(workspace_id=\? AND profile_id=\?\)/);
      expect(plan[1]).toMatch(/^SEARCH e USING INDEX events_source \(workspace_id=\? AND source_kind=\? AND source_value=\?/);
    }
  });
});
