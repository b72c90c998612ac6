import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv.js';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['=1+1', "'=1+1"],
    ['+1415', "'+1415"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['=A1,B1', `"'=A1,B1"`],
    ['', ''],
  ])('writes %j as %j', (input, output) => expect(csvCell(input)).toBe(output));

  it('writes null and undefined as empty cells and ends records with CRLF', () => {
    expect(csvLine(['a', null, undefined, 3])).toBe('a,,,3\r\n');
  });
});
