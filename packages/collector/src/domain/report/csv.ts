/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV
 * injection"); tab and carriage return are on the same list because some
 * spreadsheets strip them before looking at the next character.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: neutralised against formula injection (a leading `'`), then
 * quoted per RFC 4180 when it holds a quote, comma or line break.
 *
 * @example
 * csvCell('=HYPERLINK("x")') // → `"'=HYPERLINK(""x"")"`
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 §2 says. */
export const csvLine = (cells: Array<string | number | null | undefined>): string => `${cells.map(csvCell).join(',')}\r\n`;
