import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBase64, inflate } from './decode.js';
import { DIGITS32_COUNTS, SKLEARN_DIGITS_COUNT, loadDigits32, loadSklearnDigits } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The folder SCRATCHNET_DATA names (relative values: against the cwd, then the repository root). */
function findDataDir(): string | undefined {
  const value = process.env.SCRATCHNET_DATA;
  if (value === undefined || value === '') return undefined;
  if (isAbsolute(value)) return existsSync(value) ? value : undefined;
  return [resolve(value), resolve(here, '../../..', value)].find((candidate) => existsSync(candidate));
}
const dataDir = findDataDir();

const perClass = (labels: Uint8Array): number[] => Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
const sum = (values: Uint8Array): number => values.reduce((a, b) => a + b, 0);

describe('decoding helpers', () => {
  it('decodes base64 with and without padding, and rejects other characters', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'digits', '\u0000\u00ff\u0010']) {
      const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
      const encoded = Buffer.from(bytes).toString('base64');
      expect(Array.from(decodeBase64(encoded))).toEqual(Array.from(bytes));
      expect(Array.from(decodeBase64(encoded.replace(/=+$/, '')))).toEqual(Array.from(bytes));
    }
    expect(() => decodeBase64('ab$d')).toThrow(/invalid base64 character at 2/);
  });

  it('inflates zlib data and fails on damaged data', async () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13);
    expect(Array.from(await inflate(deflateSync(bytes), 'x'))).toEqual(Array.from(bytes));
    const damaged = deflateSync(bytes).subarray(0, 20);
    await expect(inflate(damaged, 'x')).rejects.toThrow();
  });
});

describe('sklearn 8x8 digits', () => {
  it('holds the 1797 samples with their known labels and pixels', async () => {
    const digits = await loadSklearnDigits();
    expect(digits.count).toBe(SKLEARN_DIGITS_COUNT);
    expect([digits.rows, digits.cols, digits.maxValue]).toEqual([8, 8, 16]);
    expect(digits.pixels.length).toBe(1797 * 64);
    expect(digits.labels.length).toBe(1797);
    expect(Array.from(digits.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(digits.labels[1796]).toBe(8);
    expect(perClass(digits.labels)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    // From digits.json: data[0][:8], data[1796][:4].
    expect(Array.from(digits.pixels.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(Array.from(digits.pixels.subarray(1796 * 64, 1796 * 64 + 4))).toEqual([0, 0, 10, 14]);
    expect(Math.max(...digits.pixels)).toBe(16);
  });

  it('holds whole grey levels 0..16, every one of them used, and labels 0..9', async () => {
    const digits = await loadSklearnDigits();
    // Bytes can only hold integers >= 0; the type is what guarantees that, so it is asserted too.
    expect(digits.pixels).toBeInstanceOf(Uint8Array);
    const outside = digits.pixels.findIndex((v) => v > 16);
    expect(outside, `pixel ${outside} of the 1797 x 64`).toBe(-1);
    expect([...new Set(digits.pixels)].sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, v) => v));
    expect(digits.labels.findIndex((l) => l > 9)).toBe(-1);
  });

  it('returns fresh arrays on every call', async () => {
    const a = await loadSklearnDigits();
    a.pixels[0] = 99;
    expect((await loadSklearnDigits()).pixels[0]).toBe(0);
  });
});

describe('32x32 text digits', () => {
  it('holds the 1933 training digits in label/index order', async () => {
    const train = await loadDigits32('train');
    expect(train.count).toBe(DIGITS32_COUNTS.train);
    expect([train.rows, train.cols, train.maxValue]).toEqual([32, 32, 1]);
    expect(train.pixels.length).toBe(1933 * 1024);
    expect(perClass(train.labels)).toEqual([189, 198, 195, 198, 186, 187, 195, 201, 180, 204]);
    expect(train.names.slice(0, 3)).toEqual(['0_0.txt', '0_1.txt', '0_2.txt']);
    expect(train.names.at(-1)).toBe('9_203.txt');
    // 7_25.txt is sample 25 of the 7s, which start after the 1348 files labelled 0..6.
    const first = 1348 + 25;
    expect(train.names[first]).toBe('7_25.txt');
    expect(train.labels[first]).toBe(7);
    expect(Array.from(train.pixels.subarray(first * 1024, first * 1024 + 32)).join('')).toBe('00000000000000000000000000111000');
    expect(new Set(train.pixels)).toEqual(new Set([0, 1]));
  });

  it('holds the 946 test digits', async () => {
    const test = await loadDigits32('test');
    expect(test.count).toBe(DIGITS32_COUNTS.test);
    expect(perClass(test.labels)).toEqual([87, 97, 92, 85, 114, 108, 87, 96, 91, 89]);
    // 3_11.txt holds 321 ones; the 3s start after the 87 + 97 + 92 files labelled 0..2.
    const index = 87 + 97 + 92 + 11;
    expect(test.names[index]).toBe('3_11.txt');
    expect(sum(test.pixels.subarray(index * 1024, (index + 1) * 1024))).toBe(321);
    // The last file, 9_88.txt, starts with the row 00000000001111111110000000000000.
    expect(Array.from(test.pixels.subarray(945 * 1024, 945 * 1024 + 32)).join('')).toBe('00000000001111111110000000000000');
  });
});

describe.skipIf(dataDir === undefined)('the packaged data equals the original files (set SCRATCHNET_DATA=../shared/data to run)', () => {
  it('matches sklearn-digits/digits.json sample by sample', async () => {
    const json = JSON.parse(readFileSync(join(dataDir!, 'sklearn-digits', 'digits.json'), 'utf8')) as { data: number[][]; target: number[] };
    const digits = await loadSklearnDigits();
    expect(Array.from(digits.labels)).toEqual(json.target);
    expect(Array.from(digits.pixels)).toEqual(json.data.flat());
  });

  it.each(['train', 'test'] as const)('matches every digits32 %s file', async (split) => {
    const folder = join(dataDir!, 'digits32', split === 'train' ? 'trainingDigits' : 'testDigits');
    const digits = await loadDigits32(split);
    expect([...digits.names].sort()).toEqual(readdirSync(folder).filter((name) => name.endsWith('.txt')).sort());
    digits.names.forEach((name, i) => {
      const text = readFileSync(join(folder, name), 'latin1').replace(/\r?\n/g, '');
      const packed = Array.from(digits.pixels.subarray(i * 1024, (i + 1) * 1024)).join('');
      if (packed !== text) expect.fail(`${name} differs from sample ${i}`);
      expect(digits.labels[i]).toBe(Number(name[0]));
    });
  });
});
