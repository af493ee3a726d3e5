import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createMemoryDataSource } from './memory-source.js';
import { parseSklearnDigits } from './sklearn-digits-format.js';
import { sklearnDigitsJson } from './sklearn-digits-json.js';
import { countAllocations } from '@scratchnet/testkit';
import { expectDataError, sklearnJson, sklearnSample } from './test-fixtures.js';

const samples = [sklearnSample(0), sklearnSample(5), sklearnSample(11)];
const target = [4, 0, 9];
const parse = (text: string, maxValue?: number) => parseSklearnDigits(text, 'digits.json', maxValue === undefined ? {} : { maxValue });
const withRoot = (patch: Record<string, unknown>): string => JSON.stringify({ ...JSON.parse(sklearnJson(samples, target)), ...patch });

describe('parseSklearnDigits', () => {
  it('reads data (n x 64) into [n, 1, 8, 8] raw values with digit classes', () => {
    const dataset = parse(sklearnJson(samples, target));
    expect(dataset.count).toBe(3);
    expect(dataset.sampleShape).toEqual([1, 8, 8]);
    expect(Array.from(dataset.images.subarray(64, 70))).toEqual([5, 6, 7, 8, 9, 10]);
    expect(dataset.images[64 + 12]).toBe(0); // (12 + 5) % 17
    expect(Array.from(dataset.labels)).toEqual([4, 0, 9]);
    expect(dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(dataset.source).toBe('digits.json');
  });

  it('reads images (n x 8 x 8) alone, or both when they agree', () => {
    const fromData = parse(sklearnJson(samples, target));
    expect(parse(sklearnJson(samples, target, { data: false, images: true })).images).toEqual(fromData.images);
    expect(parse(sklearnJson(samples, target, { images: true })).images).toEqual(fromData.images);
  });

  it('uses target_names as class names', () => {
    const dataset = parse(sklearnJson(samples, [0, 1, 2], { targetNames: ['zero', 'one', 2] }));
    expect(dataset.classNames).toEqual(['zero', 'one', '2']);
  });

  it('honours maxValue, keeping pixels as bytes up to 255 and as float32 above', () => {
    const bright = [sklearnSample(0).map((v) => v * 15)];
    const bytes = parse(sklearnJson(bright, [1]), 255).images;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes[16]).toBe(240);
    const wide = parse(sklearnJson([sklearnSample(0).map((v) => v * 1000)], [1]), 16000).images;
    expect(wide).toBeInstanceOf(Float32Array);
    expect(wide[16]).toBe(16000);
    expect(parse(sklearnJson(samples, target)).images).toBeInstanceOf(Uint8Array);
    return expectDataError(() => parse(sklearnJson(bright, [1])), { jsonPath: 'data[0][2]' }, /expected an integer pixel value 0..16, found 30 at data\[0\]\[2\] \(row 1\)/);
  });

  it('rejects JSON that is not an object', async () => {
    const error = await expectDataError(() => parse('[1, 2]'), { file: 'digits.json', jsonPath: '(root)' }, /expected a JSON object with "target" and "data" or "images", found an array of 2 items/);
    expect(error.hint).toMatch(/load_digits\(\)/);
  });

  it('rejects a file without target, or with a target that is not an array', async () => {
    await expectDataError(() => parse(JSON.stringify({ data: samples })), { jsonPath: 'target' }, /expected a "target" array of labels, found no "target" key/);
    await expectDataError(() => parse(withRoot({ target: 'x' })), { jsonPath: 'target' }, /expected an array of labels, found a string "x"/);
  });

  it('rejects a file with neither data nor images, or with the wrong kind of value', async () => {
    await expectDataError(() => parse(JSON.stringify({ target })), { jsonPath: '(root)' }, /"data" \(n x 64\) or "images" \(n x 8 x 8\) array, found neither key/);
    await expectDataError(() => parse(withRoot({ data: {} })), { jsonPath: 'data' }, /found an object/);
    await expectDataError(() => parse(withRoot({ data: [], target: [] })), { jsonPath: 'data' }, /at least one sample, found an empty array/);
  });

  it('rejects target, data and images of different lengths', async () => {
    const error = await expectDataError(() => parse(withRoot({ target: [1, 2] })), { jsonPath: 'target' }, /expected 3 labels \(one per sample in "data"\), found 2 labels/);
    expect(error.hint).toBe('"target" has 2 labels, "data" has 3 samples.');
    const images = JSON.parse(sklearnJson(samples.slice(0, 2), [0, 0], { data: false, images: true })).images;
    await expectDataError(() => parse(withRoot({ images })), { jsonPath: 'images' }, /expected 3 samples \(as many as "data"\), found 2 samples/);
  });

  it('rejects a sample row of the wrong length', async () => {
    await expectDataError(() => parse(withRoot({ data: [samples[0], samples[1]!.slice(1), samples[2]] })), { jsonPath: 'data[1]' }, /expected 64 pixel values \(8x8\) \(an array of 64\), found an array of 63 items/);
    const images = JSON.parse(sklearnJson(samples, target, { data: false, images: true })).images;
    images[2][7] = [1, 2, 3];
    await expectDataError(() => parse(JSON.stringify({ images, target })), { jsonPath: 'images[2][7]' }, /expected 8 pixel values/);
  });

  it('rejects pixels that are not finite numbers or out of range', async () => {
    const bad = (value: unknown) => withRoot({ data: [samples[0], [...samples[1]!.slice(0, 9), value, ...samples[1]!.slice(10)], samples[2]] });
    await expectDataError(() => parse(bad('3')), { jsonPath: 'data[1][9]' }, /expected an integer pixel value 0..16, found a string "3" at data\[1\]\[9\]/);
    await expectDataError(() => parse(bad(null)), { jsonPath: 'data[1][9]' }, /found null/);
    // JSON has no Infinity literal, but 1e999 parses to it.
    await expectDataError(() => parse(bad(null).replace('null', '1e999')), { jsonPath: 'data[1][9]' }, /expected an integer pixel value 0..16, found Infinity/);
    const error = await expectDataError(() => parse(bad(-1)), { jsonPath: 'data[1][9]' }, /expected an integer pixel value 0..16, found -1/);
    expect(error.hint).toMatch(/set the maxValue option/);
    await expectDataError(() => parse(bad(17)), { jsonPath: 'data[1][9]' }, /expected an integer pixel value 0..16, found 17/);
  });

  it('rejects fractional pixels: load_digits() holds whole grey levels 0..16', async () => {
    const data = [samples[0], samples[1]!.map((v, k) => (k === 20 ? 3.5 : v)), samples[2]];
    const error = await expectDataError(() => parse(withRoot({ data })), { jsonPath: 'data[1][20]' }, /expected an integer pixel value 0..16, found 3.5 at data\[1\]\[20\] \(row 2\)/);
    expect(error.hint).toMatch(/whole grey levels.*scale preprocess step/);
    // The same for the images layout, and whatever maxValue allows.
    const images = JSON.parse(sklearnJson(samples, target, { data: false, images: true })).images;
    images[2][0][1] = 0.25;
    await expectDataError(() => parse(JSON.stringify({ images, target }), 255), { jsonPath: 'images[2][0][1]' }, /found 0.25 at images\[2\]\[0\]\[1\] \(row 3\)/);
  });

  it('places a malformed row at its 1-based row and its line:col in the file', async () => {
    // One sample per line, as a hand-edited or pretty-printed file has them; row 3 is short.
    const rows = [samples[0], samples[1], samples[2]!.slice(0, 60)].map((r) => `  ${JSON.stringify(r)}`);
    const text = `{"target": [4, 0, 9],\n "data": [\n${rows.join(',\n')}\n]}`;
    const error = await expectDataError(
      () => parse(text),
      { file: 'digits.json', jsonPath: 'data[2]', line: 5, col: 3 },
      /^digits\.json:5:3: expected 64 pixel values \(8x8\) \(an array of 64\), found an array of 60 items at data\[2\] \(row 3\)\./,
    );
    expect(error.found).toMatch(/row 3/);
    // A bad pixel is placed at the value itself: line 4, after "  [" and the 9 values before it.
    const pixelText = text.replace(`  ${JSON.stringify(samples[1])}`, `  ${JSON.stringify(samples[1]!.map((v, k) => (k === 9 ? 99 : v)))}`);
    const before = `  [${samples[1]!.slice(0, 9).join(',')},`;
    await expectDataError(() => parse(pixelText.replace(rows[2]!, `  ${JSON.stringify(samples[2])}`)), { jsonPath: 'data[1][9]', line: 4, col: before.length + 1 }, /found 99 at data\[1\]\[9\] \(row 2\)/);
  });

  it('checks every row before allocating the pixels, so a file of many empty rows costs no pixel memory', async () => {
    // 200,000 empty rows: 600 KB of text that would otherwise cost 13 MB of pixel bytes first.
    const count = 200_000;
    const text = `{"data": [${'[],'.repeat(count - 1)}[]], "target": [${'0,'.repeat(count - 1)}0]}`;
    const result = await countAllocations(() => parse(text));
    await expectDataError(() => Promise.reject(result.error), { jsonPath: 'data[0]' }, /found an array of 0 items at data\[0\] \(row 1\)/);
    // The rows are checked before the labels or the pixels are allocated.
    expect(result.bytes).toBe(0);
  });

  it('rejects images that disagree with data', async () => {
    const images = JSON.parse(sklearnJson(samples, target, { data: false, images: true })).images;
    images[1][2][3] = 16;
    const error = await expectDataError(() => parse(withRoot({ images })), { jsonPath: 'images[1][2][3]' }, /expected 7 \(the value of data\[1\]\[19\]\), found 16/);
    expect(error.hint).toMatch(/same pixels/);
  });

  it('rejects labels outside the declared classes', async () => {
    await expectDataError(() => parse(withRoot({ target: [4, 10, 9] })), { jsonPath: 'target[1]' }, /expected an integer label 0..9, found 10/);
    await expectDataError(() => parse(withRoot({ target: [4, 1.5, 9] })), { jsonPath: 'target[1]' }, /found 1.5/);
    // Negative labels: the record index and the value.
    await expectDataError(() => parse(withRoot({ target: [4, -1, 9] })), { jsonPath: 'target[1]' }, /expected an integer label 0..9, found -1 at target\[1\] \(row 2\)/);
    const error = await expectDataError(() => parse(withRoot({ target_names: ['a', 'b', 'c'], target: [0, 1, 9] })), { jsonPath: 'target[2]' }, /expected an integer label 0..2, found 9/);
    expect(error.hint).toBe('Labels index the 3 classes of "target_names".');
  });

  it('rejects malformed target_names', async () => {
    await expectDataError(() => parse(withRoot({ target_names: [] })), { jsonPath: 'target_names' }, /array of 1..256 class names, found an array of 0 items/);
    await expectDataError(() => parse(withRoot({ target_names: ['a', null] })), { jsonPath: 'target_names[1]' }, /class name \(string or number\), found null/);
    await expectDataError(() => parse(withRoot({ target_names: [0, 1, '1'] })), { jsonPath: 'target_names[2]' }, /a class name not used before, found "1"/);
  });

  it('reports JSON syntax errors at line:col', async () => {
    await expectDataError(() => parse('{"target": [1,\n 2,, 3]}'), { file: 'digits.json', line: 2, col: 4 }, /expected a value/);
  });
});

describe('sklearn-digits-json plugin', () => {
  it('loads a file, raw or gzip', async () => {
    const text = sklearnJson(samples, target);
    const source = createMemoryDataSource({ 'digits.json': text, 'digits.json.gz': gzipSync(text) });
    const raw = await sklearnDigitsJson.load({ type: 'sklearn-digits-json', path: 'digits.json' }, source);
    const gz = await sklearnDigitsJson.load({ type: 'sklearn-digits-json', path: 'digits.json.gz', maxValue: 16 }, source);
    expect(gz.images).toEqual(raw.images);
    expect(raw.count).toBe(3);
  });

  it('says a 0-byte file is empty', async () => {
    const source = createMemoryDataSource({ 'empty.json': '' });
    await expectDataError(
      () => sklearnDigitsJson.load({ type: 'sklearn-digits-json', path: 'empty.json' }, source),
      { file: 'empty.json', line: 1, col: 1 },
      /^empty\.json:1:1: expected a JSON object in the layout of load_digits\(\), found 0 bytes \(the file is empty\)\./,
    );
  });
});
