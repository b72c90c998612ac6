import type { Channel } from '../channels.js';
import { invalid } from '../errors.js';
import type { PersonKind } from '../identity/types.js';
import { ROW_FIELD, type ContactInput, type Rejection } from './contact.js';
import { OPT_OUT_COLUMNS, optOutCell } from './opt-outs.js';

/** Header names (lower-cased) read as identifiers; every other column is a trait. */
const IDENTIFIER_COLUMNS: Readonly<Record<string, PersonKind>> = {
  userid: 'userId',
  user_id: 'userId',
  customer_id: 'userId',
  customerid: 'userId',
  email: 'email',
  phone: 'phone',
  mobile: 'phone',
};

/**
 * Columns of the profile report (GET /api/reports/profiles) that describe a
 * profile rather than set it: a re-imported export must not turn them into
 * traits. `id` is read separately, as the profile's GUID.
 */
const EXPORT_ONLY = new Set([
  'primarykey',
  'status',
  'createdat',
  'updatedat',
  'emailreachable',
  'smsreachable',
  'whatsappreachable',
  'pushreachable',
  'webpushreachable',
]);

/** How the import read one header column (the report answers the list). */
export type ColumnReading =
  | { column: string; readAs: 'identifier'; kind: PersonKind }
  | { column: string; readAs: 'profileId' }
  | { column: string; readAs: 'optOut'; channel: Channel }
  | { column: string; readAs: 'trait' }
  | { column: string; readAs: 'ignored'; reason: string };

/** How a file's columns map to a contact, read once from its header. */
export interface CsvColumns {
  width: number;
  identifiers: Array<{ kind: PersonKind; index: number; name: string }>;
  profileId?: { index: number; name: string };
  optOuts: Array<{ channel: Channel; index: number; name: string }>;
  traits: Array<{ name: string; index: number }>;
  readings: ColumnReading[];
}

function readColumn(name: string): ColumnReading {
  const lower = name.toLowerCase();
  const kind = IDENTIFIER_COLUMNS[lower];
  if (kind) return { column: name, readAs: 'identifier', kind };
  if (lower === 'id') return { column: name, readAs: 'profileId' };
  const channel = OPT_OUT_COLUMNS[lower];
  if (channel) return { column: name, readAs: 'optOut', channel };
  if (EXPORT_ONLY.has(lower)) return { column: name, readAs: 'ignored', reason: 'a profile report column, set by Threadline' };
  return { column: name, readAs: 'trait' };
}

/**
 * Reads a CSV header (SPEC §5 import). Problems here would reject every row,
 * so they refuse the upload before anything is written, naming `header`.
 * A profile report re-imported as is works: `id` matches profiles by GUID,
 * the report's own columns (`status`, `createdAt`, …) are ignored.
 *
 * @example
 * mapColumns(['Email', 'mobile', 'plan']) // → email from column 0, phone from 1, trait `plan` from 2
 */
export function mapColumns(header: string[]): CsvColumns {
  const columns: CsvColumns = { width: header.length, identifiers: [], optOuts: [], traits: [], readings: [] };
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const name = raw.trim();
    if (!name) throw invalid('header', `column ${index + 1} has no name`);
    if (name.includes('\u0000')) throw invalid('header', `column ${index + 1} has a NUL (\\u0000) character in its name`);
    // Traits are assigned by name: this one would set the object's prototype instead.
    if (name === '__proto__') throw invalid('header', `column ${index + 1} may not be called __proto__`);
    const reading = readColumn(name);
    const key = reading.readAs === 'identifier' ? reading.kind : reading.readAs === 'trait' ? name : name.toLowerCase();
    if (seen.has(key))
      throw invalid(
        'header',
        `column "${name}" repeats ${reading.readAs === 'identifier' ? `the ${reading.kind} column` : 'another column'}`,
      );
    seen.add(key);
    columns.readings.push(reading);
    if (reading.readAs === 'identifier') columns.identifiers.push({ kind: reading.kind, index, name });
    else if (reading.readAs === 'profileId') columns.profileId = { index, name };
    else if (reading.readAs === 'optOut') columns.optOuts.push({ channel: reading.channel, index, name });
    else if (reading.readAs === 'trait') columns.traits.push({ name, index });
  });
  if (!columns.identifiers.length && !columns.profileId)
    throw invalid(
      'header',
      'needs a userId (or customer_id, customerId), email or phone (or mobile) column, or the id of a profile report',
    );
  return columns;
}

/**
 * One data row as a contact: identifier columns by kind, every other
 * non-empty cell a trait (kept as the text it is). A row whose field count
 * differs from the header's is rejected: its values could not be placed in
 * their columns with certainty.
 */
export function contactOfRow(columns: CsvColumns, fields: string[]): ContactInput | Rejection {
  if (fields.length !== columns.width)
    return { field: ROW_FIELD, reason: `has ${fields.length} fields where the header has ${columns.width}` };
  // PostgreSQL stores no NUL in text: the row is refused on both stores, naming the column.
  const nul = fields.findIndex((f) => f.includes('\u0000'));
  if (nul >= 0) return { field: columnName(columns, nul), reason: 'must not contain a NUL (\\u0000) character' };
  const contact: ContactInput = { traits: {}, fields: {} };
  for (const { kind, index, name } of columns.identifiers) {
    contact[kind] = fields[index];
    contact.fields![kind] = name;
  }
  if (columns.profileId) {
    const id = fields[columns.profileId.index]!.trim();
    if (id) contact.profileId = id;
  }
  for (const { channel, index, name } of columns.optOuts) {
    const on = optOutCell(fields[index]!);
    if (on === undefined) return { field: name, reason: 'must be true, false, 1 or 0' };
    if (!on) continue;
    contact.optOuts = [...(contact.optOuts ?? []), { channel, field: name }];
  }
  for (const { name, index } of columns.traits) {
    const value = fields[index]!;
    if (value.trim() !== '') contact.traits[name] = value;
  }
  return contact;
}

const columnName = (columns: CsvColumns, index: number) =>
  [...columns.identifiers, ...columns.traits].find((c) => c.index === index)?.name ?? ROW_FIELD;
