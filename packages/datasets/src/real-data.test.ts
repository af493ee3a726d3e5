// The real sklearn digits and 32x32 text digits. The copies embedded in @scratchnet/digits-data
// are always tested; the original files, from the folder SCRATCHNET_DATA names, only when it is
// set (they are not part of the repository; see the test names).
import type { Dataset } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createMemoryDataSource } from './memory-source.js';
import { createNodeDataSource } from './node-source.node.js';
import { sklearnDigitsJson } from './sklearn-digits-json.js';
import { ENABLE_REAL_DATA, expectDataError, findDataDir, sameBytes } from './test-fixtures.js';
import { txt32 } from './txt32.js';

const dataDir = findDataDir();
const source = () => createNodeDataSource({ baseDir: '.', dataDir: dataDir ?? null });
// The embedded data needs no file access: a source without files proves it.
const noFiles = () => createMemoryDataSource({});
const sum = (values: ArrayLike<number>): number => Array.from(values).reduce((a, b) => a + b, 0);

const expectSameData = (a: Dataset, b: Dataset): void => {
  expect([a.count, a.sampleShape, a.classNames]).toEqual([b.count, b.sampleShape, b.classNames]);
  expect(sameBytes(a.labels, b.labels)).toBe(true);
  expect(sameBytes(a.images, b.images)).toBe(true);
};

describe('sklearn digits embedded in @scratchnet/digits-data', () => {
  it('loads all 1797 samples with their known labels and pixels when no path is given', async () => {
    const digits = await sklearnDigitsJson.load({ type: 'sklearn-digits-json' }, noFiles());
    expect(digits.count).toBe(1797);
    expect(digits.sampleShape).toEqual([1, 8, 8]);
    expect(digits.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(digits.source).toBe('the sklearn digits of @scratchnet/digits-data');
    expect(Array.from(digits.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(digits.labels[1796]).toBe(8);
    // Read from digits.json with Python: data[0][:8], data[1796][:4], sum(data[5]).
    expect(Array.from(digits.images.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(Array.from(digits.images.subarray(1796 * 64, 1796 * 64 + 4))).toEqual([0, 0, 10, 14]);
    expect(sum(digits.images.subarray(5 * 64, 6 * 64))).toBe(342);
    expect(Math.max(...digits.images)).toBe(16);
    // load_digits(): 1797 x 64 whole grey levels 0..16, about 180 samples per class.
    const notGreyLevel = digits.images.findIndex((v) => !Number.isInteger(v) || v < 0 || v > 16);
    expect(notGreyLevel, `pixel ${notGreyLevel}`).toBe(-1);
    expect(digits.images.length).toBe(1797 * 64);
    const perClass = Array.from({ length: 10 }, (_, c) => digits.labels.filter((l) => l === c).length);
    expect(perClass).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  });

  it('refuses a maxValue below the embedded 0..16', async () => {
    await expectDataError(
      () => sklearnDigitsJson.load({ type: 'sklearn-digits-json', maxValue: 15 }, noFiles()),
      { file: 'the sklearn digits of @scratchnet/digits-data' },
      /expected pixel values 0..15 \(the maxValue option\), found values up to 16/,
    );
    expect((await sklearnDigitsJson.load({ type: 'sklearn-digits-json', maxValue: 255 }, noFiles())).count).toBe(1797);
  });
});

describe('txt32 digits embedded in @scratchnet/digits-data', () => {
  it('loads the 1933 training digits in label/index order (split train, the default)', async () => {
    const train = await txt32.load({ type: 'txt32' }, noFiles());
    expect(train.count).toBe(1933);
    expect(train.sampleShape).toEqual([1, 32, 32]);
    expect(train.source).toBe('txt32 trainingDigits of @scratchnet/digits-data');
    const perClass = Array.from({ length: 10 }, (_, c) => train.labels.filter((l) => l === c).length);
    expect(perClass).toEqual([189, 198, 195, 198, 186, 187, 195, 201, 180, 204]);
    // 7_25.txt is sample 25 of the 7s, which start after the 1348 files labelled 0..6.
    const first = 1348 + 25;
    expect(train.labels[first]).toBe(7);
    const row0 = Array.from(train.images.subarray(first * 1024, first * 1024 + 32)).join('');
    expect(row0).toBe('00000000000000000000000000111000');
    expectSameData(await txt32.load({ type: 'txt32', split: 'train' }, noFiles()), train);
  });

  it('loads the 946 test digits (split test)', async () => {
    const test = await txt32.load({ type: 'txt32', split: 'test' }, noFiles());
    expect(test.count).toBe(946);
    // 3_11.txt holds 321 ones; the 3s start after the 87 + 97 + 92 files labelled 0..2.
    const index = 87 + 97 + 92 + 11;
    expect(test.labels[index]).toBe(3);
    expect(sum(test.images.subarray(index * 1024, (index + 1) * 1024))).toBe(321);
  });
});

describe.skipIf(dataDir === undefined)(`the original files from SCRATCHNET_DATA ${ENABLE_REAL_DATA}`, () => {
  it('sklearn-digits/digits.json loads exactly the embedded digits', async () => {
    const fromFile = await sklearnDigitsJson.load({ type: 'sklearn-digits-json', path: 'sklearn-digits/digits.json' }, source());
    expectSameData(fromFile, await sklearnDigitsJson.load({ type: 'sklearn-digits-json' }, noFiles()));
  });

  it.each([
    ['trainingDigits', 'train'],
    ['testDigits', 'test'],
  ] as const)('digits32/%s loads exactly the embedded split %s', async (folder, split) => {
    const fromFiles = await txt32.load({ type: 'txt32', dir: `digits32/${folder}` }, source());
    expectSameData(fromFiles, await txt32.load({ type: 'txt32', split }, noFiles()));
  });
});
