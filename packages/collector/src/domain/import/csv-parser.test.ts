import { describe, expect, it } from 'vitest';
import { createCsvParser, type CsvRecord } from './csv-parser.js';

function parse(pieces: string[], max = 1000): CsvRecord[] {
  const p = createCsvParser(max);
  return [...pieces.flatMap((t) => p.push(t)), ...p.end()];
}

const SAMPLE = 'email,note\r\n"a@x.com","gold, ""VIP""\r\nline two"\r\n\r\nb@x.com,plain\nc@x.com,"",\n"",x';

describe('createCsvParser', () => {
  it('reads quoted commas, quoted line breaks, escaped quotes, CRLF and LF, and skips empty lines', () => {
    expect(parse([SAMPLE])).toEqual([
      { fields: ['email', 'note'] },
      { fields: ['a@x.com', 'gold, "VIP"\r\nline two'] },
      { fields: ['b@x.com', 'plain'] },
      { fields: ['c@x.com', '', ''] },
      { fields: ['', 'x'] },
    ]);
  });

  it('reads the same records whichever places the text is cut at', () => {
    const whole = parse([SAMPLE]);
    for (let a = 0; a <= SAMPLE.length; a++) {
      for (let b = a; b <= SAMPLE.length; b += 3) {
        expect(parse([SAMPLE.slice(0, a), SAMPLE.slice(a, b), SAMPLE.slice(b)])).toEqual(whole);
      }
    }
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(parse(['size,5" screen\n'])).toEqual([{ fields: ['size', '5" screen'] }]);
  });

  it('reports text after a closing quote, and reads on from the next record', () => {
    expect(parse(['"a"b,c\nd,e\n'])).toEqual([{ fields: [], error: expect.stringContaining('closing quote') }, { fields: ['d', 'e'] }]);
  });

  it('reports a quoted field that is never closed', () => {
    expect(parse(['a,b\n"open,c\n'])).toEqual([{ fields: ['a', 'b'] }, { fields: [], error: expect.stringContaining('never closed') }]);
  });

  it('reports an overlong record without holding it, and reads on from the next record', () => {
    const long = `${'x'.repeat(50)},${'y'.repeat(50)}\nok,1\n`;
    expect(parse([long], 60)).toEqual([{ fields: [], error: 'is longer than 60 characters' }, { fields: ['ok', '1'] }]);
  });

  it('answers nothing for an empty input or only line breaks', () => {
    expect(parse([''])).toEqual([]);
    expect(parse(['\r\n\n\r\n'])).toEqual([]);
  });
});
