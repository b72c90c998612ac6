/** One CSV record; `error` is set when it cannot be read as fields (its content is then dropped). */
export interface CsvRecord {
  fields: string[];
  error?: string;
}

export interface CsvParser {
  /** Feeds the next piece of decoded text; answers the records it completed. */
  push(text: string): CsvRecord[];
  /** Ends the input; answers the last record, if the text did not end with a line break. */
  end(): CsvRecord[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * An incremental RFC 4180 reader: fields separated by commas, records by CRLF
 * or LF, fields optionally in double quotes, where `""` is a quote and line
 * breaks are data. Text may arrive cut anywhere (inside a quoted field,
 * between CR and LF). Empty lines are skipped. A record longer than
 * `maxRecordChars` is reported with an error instead of kept, so one
 * unterminated quote cannot make the reader hold the rest of a file.
 *
 * @example
 * const p = createCsvParser(32_768);
 * p.push('email,plan\r\n"a@x.com","gold, yearly"\r\n'); // → [{ fields: ['email','plan'] }, { fields: ['a@x.com','gold, yearly'] }]
 */
export function createCsvParser(maxRecordChars: number): CsvParser {
  let fields: string[] = [];
  let field = '';
  let size = 0;
  let quoted = false; // inside a quoted field
  let quoteSeen = false; // the previous char was a quote inside a quoted field: an escape or the closing quote
  let fieldStarted = false; // the current field began with a quote (so "" is not an empty line)
  let skipLf = false; // a CR ended the last record: an LF right after it belongs to it
  let error: string | undefined;

  const endField = () => {
    if (!error) fields.push(field);
    field = '';
    quoted = quoteSeen = fieldStarted = false;
  };
  const endRecord = (out: CsvRecord[]) => {
    const blank = fields.length === 0 && field === '' && !fieldStarted;
    endField();
    if (!blank || error) out.push(error ? { fields: [], error } : { fields });
    fields = [];
    size = 0;
    error = undefined;
  };
  const grow = (n: number) => {
    size += n;
    if (size > maxRecordChars && !error) error = `is longer than ${maxRecordChars} characters`;
  };
  const take = (s: string) => {
    grow(s.length);
    if (!error) field += s;
  };

  function push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (skipLf && text.charCodeAt(0) === LF) i = 1;
    skipLf = false;
    while (i < text.length) {
      if (quoted && !quoteSeen) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          take(text.slice(i));
          break;
        }
        take(text.slice(i, q));
        quoteSeen = true;
        i = q + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (quoteSeen) {
        quoteSeen = false;
        if (c === QUOTE) {
          take('"');
          i++;
          continue;
        }
        quoted = false; // the closing quote: only a separator may follow
        if (c !== COMMA && c !== LF && c !== CR && !error) error = 'has text after the closing quote of a quoted field';
      }
      if (c === COMMA) {
        grow(1);
        endField();
        i++;
      } else if (c === LF || c === CR) {
        endRecord(out);
        i++;
        if (c === CR) {
          if (i === text.length) skipLf = true;
          else if (text.charCodeAt(i) === LF) i++;
        }
      } else if (c === QUOTE && field === '' && !fieldStarted && !quoted) {
        quoted = fieldStarted = true;
        grow(1);
        i++;
      } else {
        // Plain text up to the next separator; a quote inside an unquoted field is kept as text.
        let j = i;
        while (j < text.length) {
          const d = text.charCodeAt(j);
          if (d === COMMA || d === LF || d === CR) break;
          j++;
        }
        if (fieldStarted && !error) error = 'has text after the closing quote of a quoted field';
        take(text.slice(i, j));
        i = j;
      }
    }
    return out;
  }

  function end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (quoted && !quoteSeen) error ??= 'has a quoted field that is never closed';
    if (fields.length || field !== '' || fieldStarted || error) endRecord(out);
    return out;
  }

  return { push, end };
}
