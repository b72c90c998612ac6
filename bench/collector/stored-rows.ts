import { sql } from 'kysely';
import { connect } from '../lib/database.js';

/** Rows in `table` (`events`, or the bare server's `raw`) of the database at `location` (after its server stopped): what was really written. */
export async function storedEvents(location: string, table: 'events' | 'raw' = 'events'): Promise<number> {
  const database = connect(location);
  try {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(database.db);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await database.close();
  }
}
