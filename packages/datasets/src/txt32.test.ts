import { describe, expect, it } from 'vitest';
import { createMemoryDataSource } from './memory-source.js';
import { expectDataError, txt32Text } from './test-fixtures.js';
import { compareTxt32Names, parseTxt32, txt32Dataset, txt32Label } from './txt32-format.js';
import { txt32 } from './txt32.js';

const valid = txt32Text();
const lines = valid.split('\r\n');
const withLine = (index: number, text: string): string => lines.map((line, i) => (i === index ? text : line)).join('\r\n');

describe('parseTxt32', () => {
  it('reads 32 x 32 pixels 0/1', () => {
    const pixels = parseTxt32(valid, '1_0.txt');
    expect(pixels.length).toBe(1024);
    expect(pixels[0]).toBe(1); // (0, 0) is on the diagonal
    expect(pixels[1]).toBe(0);
    expect(pixels[31]).toBe(1); // (0, 31) is on the anti-diagonal
    expect(pixels[5 * 32 + 5]).toBe(1);
    expect(pixels.reduce((a, b) => a + b, 0)).toBe(64);
  });

  it('accepts LF or CRLF, with or without a final line break, and one trailing empty line', () => {
    const expected = parseTxt32(valid, 'a');
    for (const text of [txt32Text('\n'), txt32Text('\r\n', false), txt32Text('\n', false), `${valid}\r\n`, `${txt32Text('\n')}\n`]) {
      expect(parseTxt32(text, 'a')).toEqual(expected);
    }
  });

  it('writes into a shared array at an offset, bytes or floats', () => {
    for (const target of [new Uint8Array(3 * 1024), new Float32Array(3 * 1024)]) {
      expect(parseTxt32(new TextEncoder().encode(valid), 'b', target, 1024)).toBe(target);
      expect(target[1024]).toBe(1);
      expect(target[0]).toBe(0);
    }
    expect(parseTxt32(valid, 'c')).toBeInstanceOf(Uint8Array);
  });

  it('rejects a file with 31 lines', async () => {
    const text = lines.slice(0, 31).join('\r\n') + '\r\n';
    await expectDataError(() => parseTxt32(text, '3_1.txt'), { file: '3_1.txt', line: 32, col: 1 }, /expected 32 lines of 32 '0'\/'1' characters, found 31 lines/);
  });

  it('rejects a line of 33 characters', async () => {
    await expectDataError(() => parseTxt32(withLine(4, `${lines[4]}0`), '3_1.txt'), { line: 5, col: 33 }, /expected the end of line 5 \(LF or CRLF\) after 32 characters, found a 33rd character '0'/);
  });

  it('rejects a short line', async () => {
    await expectDataError(() => parseTxt32(withLine(9, lines[9]!.slice(0, 30)), '3_1.txt'), { line: 10, col: 31 }, /expected 32 characters on line 10, found 30 characters/);
  });

  it("rejects a '2' and other characters", async () => {
    const two = withLine(6, `${lines[6]!.slice(0, 12)}2${lines[6]!.slice(13)}`);
    await expectDataError(() => parseTxt32(two, '3_1.txt'), { line: 7, col: 13 }, /expected '0' or '1', found '2'/);
    const tab = withLine(0, `\t${lines[0]!.slice(1)}`);
    await expectDataError(() => parseTxt32(tab, '3_1.txt'), { line: 1, col: 1 }, /found a tab/);
    await expectDataError(() => parseTxt32(valid.replace('\r\n', '\r'), '3_1.txt'), { line: 1, col: 33 }, /found a carriage return \(CR\) not followed by LF/);
  });

  it('rejects a 33rd line and more than one trailing empty line', async () => {
    await expectDataError(() => parseTxt32(`${valid}${lines[0]}\r\n`, '3_1.txt'), { line: 33, col: 1 }, /expected the end of the file after 32 lines, found '1'/);
    await expectDataError(() => parseTxt32(`${valid}\r\n\r\n`, '3_1.txt'), { line: 34, col: 1 }, /found another empty line/);
  });

  it('rejects an empty file', async () => {
    await expectDataError(() => parseTxt32('', '0_0.txt'), { file: '0_0.txt', line: 1, col: 1 }, /found 0 bytes \(the file is empty\)/);
    await expectDataError(() => parseTxt32('\n', '0_0.txt'), { line: 1, col: 1 }, /32 characters on line 1, found 0 characters/);
  });
});

describe('txt32 names', () => {
  it('takes the label from the part before "_"', () => {
    expect(txt32Label('7_25.txt')).toBe(7);
    expect(txt32Label('data/trainingDigits/0_199.txt')).toBe(0);
  });

  it('rejects a name without a digit label', async () => {
    const error = await expectDataError(() => txt32Label('dir/seven.txt'), { file: 'dir/seven.txt' }, /expected a file name '<label>_<index>.txt' with a digit label, like 7_25.txt, found "seven.txt"/);
    expect(error.hint).toMatch(/digit before the first "_"/);
    await expectDataError(() => txt32Label('12_3.txt'), { file: '12_3.txt' });
    await expectDataError(() => txt32Label('x_3.txt'), { file: 'x_3.txt' });
  });

  it('orders by label, then numerically by index', () => {
    expect(['1_0.txt', '0_10.txt', '0_9.txt', '0_a.txt', '0_2.txt'].sort(compareTxt32Names)).toEqual(['0_2.txt', '0_9.txt', '0_10.txt', '0_a.txt', '1_0.txt']);
  });

  it('needs at least one file', async () => {
    await expectDataError(() => txt32Dataset([], 'txt32 empty'), { file: 'txt32 empty' }, /found no files/);
  });
});

describe('txt32 plugin', () => {
  it('loads a folder in label/index order, ignoring hidden and non-.txt files', async () => {
    const source = createMemoryDataSource({
      'digits/1_10.txt': valid,
      'digits/1_2.txt': txt32Text('\n'),
      'digits/0_0.txt': valid.replace(/1/g, '0'),
      'digits/.DS_Store': 'x',
      'digits/README.md': 'notes',
    });
    const dataset = await txt32.load({ type: 'txt32', dir: 'digits' }, source);
    expect(dataset.count).toBe(3);
    expect(dataset.sampleShape).toEqual([1, 32, 32]);
    expect(Array.from(dataset.labels)).toEqual([0, 1, 1]);
    expect(dataset.images.subarray(0, 1024).every((v) => v === 0)).toBe(true);
    expect(dataset.images[1024]).toBe(1);
    expect(dataset.source).toBe('txt32 digits');
  });

  it('names the file and line of a bad pixel', async () => {
    const source = createMemoryDataSource({ 'd/4_1.txt': valid, 'd/4_2.txt': withLine(3, lines[3]!.replace('1', '2')) });
    await expectDataError(() => txt32.load({ type: 'txt32', dir: 'd' }, source), { file: 'd/4_2.txt', line: 4 });
  });

  it('rejects a file name without a label before reading anything', async () => {
    const source = createMemoryDataSource({ 'd/4_1.txt': valid, 'd/four.txt': valid });
    await expectDataError(() => txt32.load({ type: 'txt32', dir: 'd' }, source), { file: 'd/four.txt' });
  });

  it('rejects an empty folder and a folder without .txt files', async () => {
    const source = createMemoryDataSource({ 'empty/': '', 'other/a.png': '' });
    const error = await expectDataError(() => txt32.load({ type: 'txt32', dir: 'empty' }, source), { file: 'empty' }, /expected a folder of '<label>_<index>.txt' digit files, found an empty folder/);
    expect(error.hint).toMatch(/trainingDigits/);
    await expectDataError(() => txt32.load({ type: 'txt32', dir: 'other' }, source), { file: 'other' }, /found no .txt files \(only a.png\)/);
  });
});
