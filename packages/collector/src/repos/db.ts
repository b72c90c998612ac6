import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

/** A connection or a transaction: every repo function takes either. */
export type Db = Kysely<Schema>;
