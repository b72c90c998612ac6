// The bare server's store (bench/bare-server.ts): one table of raw JSON keyed
// by messageId, one prepared statement, one transaction a request. Its own
// file so the ingest diagnosis books the statements' native time to SQL
// (bench/collector/profile-areas.ts), not to the route.
import SQLite from 'better-sqlite3';
import pg from 'pg';

/** Writes one request's messages; answers how many were new. */
export type Write = (ids: string[], bodies: string[]) => Promise<number>;

function sqlite(path: string): { write: Write; close: () => Promise<void> } {
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec('create table if not exists raw (message_id text primary key, body text not null)');
  const insert = db.prepare('insert or ignore into raw (message_id, body) values (?, ?)');
  const all = db.transaction((ids: string[], bodies: string[]) => {
    let n = 0;
    for (let i = 0; i < ids.length; i++) n += insert.run(ids[i], bodies[i]).changes;
    return n;
  });
  return { write: async (ids, bodies) => all(ids, bodies), close: async () => void db.close() };
}

async function postgres(url: string): Promise<{ write: Write; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('create table if not exists raw (message_id text primary key, body text not null)');
  // One named (server-side prepared) statement: a statement on its own is one transaction.
  const text = 'insert into raw (message_id, body) select * from unnest($1::text[], $2::text[]) on conflict do nothing';
  return {
    write: async (ids, bodies) => (await pool.query({ name: 'bare_insert', text, values: [ids, bodies] })).rowCount ?? 0,
    close: () => pool.end(),
  };
}

/** The bare store at `location`: a SQLite path or a postgres:// URL. */
export const openBareStore = (location: string) =>
  /^postgres(ql)?:\/\//.test(location) ? postgres(location) : Promise.resolve(sqlite(location));
