import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeJsonBytes, findJsonSyntaxError, lineColumn, MAX_JSON_BYTES, parseJsonText } from './json-text.js';
import { createMemoryDataSource } from './memory-source.js';
import { sklearnDigitsJson } from './sklearn-digits-json.js';
import { expectDataError } from './test-fixtures.js';

describe('lineColumn', () => {
  it('turns an index into 1-based line:col, LF or CRLF', () => {
    expect(lineColumn('abc', 0)).toEqual({ line: 1, col: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, col: 2 });
    expect(lineColumn('ab\r\ncd\r\nef', 8)).toEqual({ line: 3, col: 1 });
  });
});

describe('findJsonSyntaxError', () => {
  const cases: [string, number, RegExp][] = [
    ['{"a": }', 6, /a value/],
    ['{"a": 1', 7, /',' or '}'/],
    ['[1, 2] x', 7, /the end of the JSON text/],
    ['{"a": 1,}', 8, /a double-quoted property name/],
    ['[1,]', 3, /a value/],
    ['{"a": tru}', 9, /'true'/],
    ['[1e]', 3, /a digit in the exponent/],
    ['[01]', 2, /',' or ']'/],
    ['[-]', 2, /a digit/],
    ['[1.]', 3, /a digit after the decimal point/],
    ['"abc', 4, /a closing double quote/],
    ['"a\u0001"', 2, /control characters must be escaped/],
    ['"\\x"', 2, /an escape character/],
    ['"\\u12G4"', 5, /a hex digit/],
    ['{"a" 1}', 5, /':' after the property name/],
    ['', 0, /a value/],
    ['[[[[[[[[[[[[[[[[[[[[', 20, /a value/],
  ];
  it.each(cases)('finds the first error in %j at index %i', (text, index, expected) => {
    const issue = findJsonSyntaxError(text);
    expect(issue?.index).toBe(index);
    expect(issue?.expected).toMatch(expected);
    // The scanner and the engine agree about what is invalid.
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('accepts everything JSON.parse accepts', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\n\\u00e9"], "b": {}} ', '0', '"s"', '[[]]', '-0.0E-1']) {
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });

  it('handles nesting far deeper than a recursive parser could', () => {
    expect(findJsonSyntaxError(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toBeUndefined();
  });
});

describe('parseJsonText', () => {
  it('reports syntax errors as file:line:col with expected and found', async () => {
    const text = '{\n  "target": [1, 2,\n  ]\n}';
    const error = await expectDataError(() => parseJsonText(text, 'digits.json'), { file: 'digits.json', line: 3, col: 3 });
    expect(error.message).toBe("digits.json:3:3: expected a value (object, array, string, number, true, false or null), found ']'. The file is not valid JSON; was it cut short or edited by hand?");
  });

  it('reports a cut-off file at its end', async () => {
    await expectDataError(() => parseJsonText('{"data": [[1, 2', 'd.json'), { line: 1, col: 16 }, /expected ',' or ']', found the end of the text/);
  });
});

describe('JSON files too large to read whole', () => {
  it('are refused by name and size before decoding', () => {
    const bytes = new Uint8Array(MAX_JSON_BYTES + 1);
    expect(() => decodeJsonBytes(bytes, 'data/huge.json')).toThrow(
      'data/huge.json: expected a JSON file of at most 256 MB (JSON is read whole into memory), found 256 MB. Store a data set this large in a binary format',
    );
    expect(decodeJsonBytes(new TextEncoder().encode('{"a": 1}'), 'small.json')).toBe('{"a": 1}');
  });

  it('are refused from their size alone when the data source can tell it, before reading a byte', async () => {
    const source = {
      ...createMemoryDataSource({}),
      resolve: (path: string) => path,
      fileSize: async () => 1.5 * 1024 ** 3,
      readFile: async (): Promise<Uint8Array> => {
        throw new Error('read the file');
      },
    };
    await expect(sklearnDigitsJson.load({ type: 'sklearn-digits-json', path: 'huge.json' } as never, source)).rejects.toThrow(
      'huge.json: expected a JSON file of at most 256 MB (JSON is read whole into memory), found 1536 MB.',
    );
  });

  it('stop inflating once a gzip file passes the limit, naming the file (sklearn-digits-json)', async () => {
    const spaces = gzipSync(Buffer.alloc(MAX_JSON_BYTES + 4096, 0x20));
    const source = createMemoryDataSource({ 'huge.json.gz': new Uint8Array(spaces) });
    await expect(sklearnDigitsJson.load({ type: 'sklearn-digits-json', path: 'huge.json.gz' } as never, source)).rejects.toThrow(
      /^huge\.json\.gz: expected a JSON file of at most 256 MB once decompressed \(JSON is read whole into memory\), found more than \d+ MB of decompressed text\./,
    );
  });
});
