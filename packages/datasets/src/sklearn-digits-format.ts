import type { Dataset } from '@scratchnet/spec';
import { DataFormatError } from '@scratchnet/spec';
import { DIGIT_CLASSES, EMPTY_FILE, describeJson, plural } from './describe.js';
import { locateJsonValue, parseJsonPath } from './json-locate.js';
import { lineColumn, parseJsonText } from './json-text.js';

/**
 * scikit-learn's `load_digits()` dumped as JSON:
 *
 *   { "data": n x 64 numbers, "images": n x 8 x 8 numbers (either or both; they must agree),
 *     "target": n integer labels, "target_names": optional class names }
 *
 * Output [n, 1, 8, 8] with the raw pixel values: whole grey levels 0..maxValue (16 for
 * load_digits), as bytes when maxValue is below 256, else as float32. A fractional pixel means the data was rescaled or averaged, which is not the
 * load_digits layout this reads, so it is refused rather than guessed at.
 */

export interface SklearnDigitsOptions {
  /** Largest allowed pixel value; default 16 (17 grey levels). Pixels must be integers. */
  readonly maxValue?: number;
}

export const SKLEARN_DEFAULT_MAX_VALUE = 16;
const SIDE = 8;
const PIXELS = SIDE * SIDE;
const MAX_CLASSES = 256; // labels are stored as Uint8Array

type JsonObject = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const LAYOUT_HINT =
  'Expected the layout of sklearn.datasets.load_digits(), e.g. written by json.dump({k: v.tolist() for k, v in ' +
  'load_digits().items() if k in ("data", "target", "images", "target_names")}, f).';

/** `data[3]...`, `images[3]...`, `target[3]`: the sample at 0-based index 3, shown as row 4. */
const SAMPLE_PATH = /^(?:data|images|target)\[(\d+)\]/;

/**
 * Parses the JSON text of a load_digits() dump into a Dataset. Errors are DataFormatErrors with
 * the JSON path, its line:col in the text, and for a sample the 1-based row number.
 */
export function parseSklearnDigits(text: string, fileName: string, options: SklearnDigitsOptions = {}): Dataset {
  const maxValue = options.maxValue ?? SKLEARN_DEFAULT_MAX_VALUE;
  // A function declaration, so TypeScript narrows types after calls that never return.
  function fail(jsonPath: string, expected: string, found: string, hint?: string): never {
    const steps = parseJsonPath(jsonPath);
    const index = steps === undefined ? undefined : locateJsonValue(text, steps);
    // A missing key has no position: the location's "at <path>" then says where.
    if (index === undefined) throw new DataFormatError({ file: fileName, jsonPath }, expected, found, hint);
    const sample = SAMPLE_PATH.exec(jsonPath);
    // The file:line:col prefix replaces "at <path>", so the path (and the row number, counted
    // from 1 like a line in an editor) goes into the text.
    const where = jsonPath === '(root)' ? '' : ` at ${jsonPath}${sample === null ? '' : ` (row ${Number(sample[1]) + 1})`}`;
    throw new DataFormatError({ file: fileName, jsonPath, ...lineColumn(text, index) }, expected, `${found}${where}`, hint);
  }

  if (text.length === 0) {
    throw new DataFormatError({ file: fileName, line: 1, col: 1 }, 'a JSON object in the layout of load_digits()', EMPTY_FILE, LAYOUT_HINT);
  }
  const root = parseJsonText(text, fileName);
  if (!isObject(root)) fail('(root)', 'a JSON object with "target" and "data" or "images"', describeJson(root), LAYOUT_HINT);
  const { data, images, target } = root;
  if (target === undefined) fail('target', 'a "target" array of labels', 'no "target" key', LAYOUT_HINT);
  if (!Array.isArray(target)) fail('target', 'an array of labels', describeJson(target));
  if (data === undefined && images === undefined) {
    fail('(root)', 'a "data" (n x 64) or "images" (n x 8 x 8) array', 'neither key', LAYOUT_HINT);
  }
  if (data !== undefined && !Array.isArray(data)) fail('data', 'an array of samples (n x 64 numbers)', describeJson(data));
  if (images !== undefined && !Array.isArray(images)) fail('images', 'an array of samples (n x 8 x 8 numbers)', describeJson(images));
  const samples = (data ?? images) as readonly unknown[];
  const samplesKey = data !== undefined ? 'data' : 'images';
  const count = samples.length;
  if (count === 0) fail(samplesKey, 'at least one sample', 'an empty array');
  if (images !== undefined && (images as unknown[]).length !== count) {
    fail('images', `${plural(count, 'sample')} (as many as "data")`, plural((images as unknown[]).length, 'sample'), '"data" and "images" must hold the same samples.');
  }
  const labelsJson = target as readonly unknown[];
  if (labelsJson.length !== count) {
    fail('target', `${plural(count, 'label')} (one per sample in "${samplesKey}")`, plural(labelsJson.length, 'label'),
      `"target" has ${labelsJson.length} labels, "${samplesKey}" has ${count} samples.`);
  }
  const classNames = readClassNames(root.target_names, fail);

  // Paths are only built on failure: formatting one per pixel would cost more than the parse.
  const pixelRange = `an integer pixel value 0..${maxValue}`;
  const badPixel = (value: unknown, path: string): never => {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, pixelRange, describeJson(value), 'Pixels are JSON numbers.');
    if (!Number.isInteger(value)) {
      fail(path, pixelRange, String(value), 'load_digits() pixels are whole grey levels; this data looks rescaled or averaged: dump the raw values and rescale with a scale preprocess step.');
    }
    return fail(path, pixelRange, String(value), `Pixels must lie in 0..${maxValue}; set the maxValue option if your data uses another range (e.g. maxValue: 255).`);
  };
  const isPixel = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= maxValue;
  const row = (value: unknown, length: number, path: () => string, what: string): readonly unknown[] => {
    if (!Array.isArray(value) || value.length !== length) fail(path(), `${what} (an array of ${length})`, describeJson(value));
    return value as readonly unknown[];
  };

  // Shapes and labels are checked before the pixels are allocated, so the memory spent on a
  // malformed file stays in proportion to its size: a file of a million empty rows (3 bytes of
  // text each) would otherwise cost 64 to 256 bytes of pixels per row before the first error.
  for (let i = 0; i < count; i++) {
    if (data !== undefined) row(data[i], PIXELS, () => `data[${i}]`, `${PIXELS} pixel values (8x8)`);
    if (images !== undefined) {
      const image = row(images[i], SIDE, () => `images[${i}]`, `${SIDE} rows of ${SIDE} pixels`);
      for (let r = 0; r < SIDE; r++) row(image[r], SIDE, () => `images[${i}][${r}]`, `${SIDE} pixel values`);
    }
  }
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = labelsJson[i];
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= classNames.length) {
      const declared = classNames === DIGIT_CLASSES ? 'the digit classes 0..9' : `the ${classNames.length} classes of "target_names"`;
      fail(`target[${i}]`, `an integer label 0..${classNames.length - 1}`, describeJson(label), `Labels index ${declared}.`);
    }
    labels[i] = label as number;
  }

  // Whole values 0..maxValue: bytes hold them exactly when maxValue is below 256.
  const pixels = maxValue < 256 ? new Uint8Array(count * PIXELS) : new Float32Array(count * PIXELS);

  if (data !== undefined) {
    for (let i = 0; i < count; i++) {
      const values = data[i] as readonly unknown[];
      for (let k = 0; k < PIXELS; k++) {
        const v = values[k];
        pixels[i * PIXELS + k] = isPixel(v) ? v : badPixel(v, `data[${i}][${k}]`);
      }
    }
  }
  if (images !== undefined) {
    for (let i = 0; i < count; i++) {
      const image = images[i] as readonly (readonly unknown[])[];
      const dataRow = data === undefined ? undefined : (data[i] as readonly number[]);
      for (let r = 0; r < SIDE; r++) {
        const line = image[r]!;
        for (let c = 0; c < SIDE; c++) {
          const value = line[c];
          const v = isPixel(value) ? value : badPixel(value, `images[${i}][${r}][${c}]`);
          const k = r * SIDE + c;
          if (dataRow === undefined) pixels[i * PIXELS + k] = v;
          else if (dataRow[k] !== v) {
            fail(`images[${i}][${r}][${c}]`, `${dataRow[k]} (the value of data[${i}][${k}])`, String(v), '"data" and "images" must hold the same pixels; drop one of them if they come from different sources.');
          }
        }
      }
    }
  }
  return { images: pixels, labels, sampleShape: [1, SIDE, SIDE], count, classNames, source: fileName };
}

function readClassNames(value: unknown, fail: (path: string, expected: string, found: string, hint?: string) => never): readonly string[] {
  if (value === undefined) return DIGIT_CLASSES;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CLASSES) {
    fail('target_names', `an array of 1..${MAX_CLASSES} class names`, describeJson(value));
  }
  const names = (value as unknown[]).map((name, i) => {
    if (typeof name !== 'string' && !(typeof name === 'number' && Number.isFinite(name))) {
      fail(`target_names[${i}]`, 'a class name (string or number)', describeJson(name));
    }
    return String(name);
  });
  const duplicate = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (duplicate !== -1) fail(`target_names[${duplicate}]`, 'a class name not used before', JSON.stringify(names[duplicate]));
  return names;
}
