import { sql } from 'kysely';
import type { Db } from '../repos/db.js';

/** The statements prepared on `conn`'s PostgreSQL connection, by name. */
export const preparedOn = async (conn: Db) =>
  (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(conn)).rows;
