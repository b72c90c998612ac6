import { sql } from 'kysely';
import { connect } from '../lib/database.js';

/** Rows in `events` of the database at `location` (after its server stopped): what was really written. */
export async function storedEvents(location: string): Promise<number> {
  const database = connect(location);
  try {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from events`.execute(database.db);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await database.close();
  }
}
