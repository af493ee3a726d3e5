// The real sklearn digits and 32x32 text digits, from the folder SCRATCHNET_DATA names. They are
// not part of the repository; without the folder these tests are skipped (see the test names).
import { describe, expect, it } from 'vitest';
import { createNodeDataSource } from './node-source.node.js';
import { sklearnDigitsJson } from './sklearn-digits-json.js';
import { ENABLE_REAL_DATA, findDataDir } from './test-fixtures.js';
import { txt32 } from './txt32.js';

const dataDir = findDataDir();
const source = () => createNodeDataSource({ baseDir: '.', dataDir: dataDir ?? null });

describe.skipIf(dataDir === undefined)(`sklearn digits from SCRATCHNET_DATA ${ENABLE_REAL_DATA}`, () => {
  it('loads all 1797 samples with their known labels and pixels', async () => {
    const digits = await sklearnDigitsJson.load({ type: 'sklearn-digits-json', path: 'sklearn-digits/digits.json' }, source());
    expect(digits.count).toBe(1797);
    expect(digits.sampleShape).toEqual([1, 8, 8]);
    expect(digits.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(Array.from(digits.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(digits.labels[1796]).toBe(8);
    // Read from digits.json with Python: data[0][:8], data[1796][:4], sum(data[5]).
    expect(Array.from(digits.images.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(Array.from(digits.images.subarray(1796 * 64, 1796 * 64 + 4))).toEqual([0, 0, 10, 14]);
    expect(digits.images.subarray(5 * 64, 6 * 64).reduce((a, b) => a + b, 0)).toBe(342);
    expect(Math.max(...digits.images)).toBe(16);
  });
});

describe.skipIf(dataDir === undefined)(`txt32 digits from SCRATCHNET_DATA ${ENABLE_REAL_DATA}`, () => {
  it('loads the 1933 training digits in label/index order', async () => {
    const train = await txt32.load({ type: 'txt32', dir: 'digits32/trainingDigits' }, source());
    expect(train.count).toBe(1933);
    expect(train.sampleShape).toEqual([1, 32, 32]);
    const perClass = Array.from({ length: 10 }, (_, c) => train.labels.filter((l) => l === c).length);
    expect(perClass).toEqual([189, 198, 195, 198, 186, 187, 195, 201, 180, 204]);
    // 7_25.txt is sample 25 of the 7s, which start after the 1348 files labelled 0..6.
    const first = 1348 + 25;
    expect(train.labels[first]).toBe(7);
    const row0 = Array.from(train.images.subarray(first * 1024, first * 1024 + 32)).join('');
    expect(row0).toBe('00000000000000000000000000111000');
  });

  it('loads the 946 test digits', async () => {
    const test = await txt32.load({ type: 'txt32', dir: 'digits32/testDigits' }, source());
    expect(test.count).toBe(946);
    // 3_11.txt holds 321 ones; the 3s start after the 87 + 97 + 92 files labelled 0..2.
    const index = 87 + 97 + 92 + 11;
    expect(test.labels[index]).toBe(3);
    expect(test.images.subarray(index * 1024, (index + 1) * 1024).reduce((a, b) => a + b, 0)).toBe(321);
  });
});
