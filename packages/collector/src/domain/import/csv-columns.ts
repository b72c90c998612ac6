import { invalid } from '../errors.js';
import type { PersonKind } from '../identity/types.js';
import { ROW_FIELD, type ContactInput, type Rejection } from './contact.js';

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

/** How a file's columns map to a contact, read once from its header. */
export interface CsvColumns {
  width: number;
  identifiers: Array<{ kind: PersonKind; index: number; name: string }>;
  traits: Array<{ name: string; index: number }>;
}

/**
 * Reads a CSV header (SPEC §5 import). Problems here would reject every row,
 * so they refuse the upload before anything is written, naming `header`.
 *
 * @example
 * mapColumns(['Email', 'mobile', 'plan']) // → email from column 0, phone from 1, trait `plan` from 2
 */
export function mapColumns(header: string[]): CsvColumns {
  const columns: CsvColumns = { width: header.length, identifiers: [], traits: [] };
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const name = raw.trim();
    if (!name) throw invalid('header', `column ${index + 1} has no name`);
    if (name.includes('\u0000')) throw invalid('header', `column ${index + 1} has a NUL (\\u0000) character in its name`);
    // Traits are assigned by name: this one would set the object's prototype instead.
    if (name === '__proto__') throw invalid('header', `column ${index + 1} may not be called __proto__`);
    const kind = IDENTIFIER_COLUMNS[name.toLowerCase()];
    const key = kind ?? name;
    if (seen.has(key)) throw invalid('header', `column "${name}" repeats ${kind ? `the ${kind} column` : 'another column'}`);
    seen.add(key);
    if (kind) columns.identifiers.push({ kind, index, name });
    else columns.traits.push({ name, index });
  });
  if (!columns.identifiers.length)
    throw invalid('header', 'needs a userId (or customer_id, customerId), email or phone (or mobile) column');
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
  for (const { name, index } of columns.traits) {
    const value = fields[index]!;
    if (value.trim() !== '') contact.traits[name] = value;
  }
  return contact;
}

const columnName = (columns: CsvColumns, index: number) =>
  [...columns.identifiers, ...columns.traits].find((c) => c.index === index)?.name ?? ROW_FIELD;
