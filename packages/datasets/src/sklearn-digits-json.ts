import { defineDataset } from '@scratchnet/spec';
import { packagedSklearnDigits } from './packaged-digits.js';
import { SKLEARN_DEFAULT_MAX_VALUE, parseSklearnDigits } from './sklearn-digits-format.js';
import type { GunzipLimit } from './gzip.js';
import { decodeJsonBytes, jsonTooLarge, MAX_JSON_BYTES } from './json-text.js';
import { readDataFile } from './source-helpers.js';

export interface SklearnDigitsJsonOptions {
  /** The JSON file (may be gzip-compressed); default: the 1797 digits of @scratchnet/digits-data. */
  readonly path?: string;
  /** Largest pixel value allowed; load_digits() uses 0..16. */
  readonly maxValue?: number;
}

/** A gzip JSON file stops inflating once its text passes what decodeJsonBytes accepts. */
const jsonGunzipLimit = (path: string): GunzipLimit => ({
  maxBytes: () => MAX_JSON_BYTES,
  exceeded: (_max, produced) => jsonTooLarge(path, produced, true),
});

/**
 * scikit-learn's 8x8 digits (load_digits() dumped as JSON). Output [n, 1, 8, 8] with the raw
 * pixel values 0..maxValue; class names from `target_names` when present, else '0'..'9'.
 * Without `path` it loads the copy embedded in @scratchnet/digits-data (all 1797 samples, in
 * load_digits() order), so it works offline on a fresh install.
 */
export const sklearnDigitsJson = defineDataset<SklearnDigitsJsonOptions>({
  kind: 'dataset',
  type: 'sklearn-digits-json',
  specVersion: 1,
  description: "scikit-learn's load_digits() 8x8 digits: embedded (1797 samples), or dumped as JSON (data and/or images, target, target_names)",
  optionsSchema: {
    type: 'object',
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        description: 'Path of the JSON file (raw or gzip); default: the 1797 digits embedded in the digits-data package',
      },
      maxValue: {
        type: 'number',
        exclusiveMinimum: 0,
        default: SKLEARN_DEFAULT_MAX_VALUE,
        description: 'Largest allowed pixel value (load_digits uses 0..16); values are not rescaled',
      },
    },
    additionalProperties: false,
  },
  async load(options, source) {
    if (options.path === undefined) return packagedSklearnDigits(options.maxValue ?? SKLEARN_DEFAULT_MAX_VALUE);
    const path = source.resolve(options.path);
    // Refused before reading: a file of gigabytes would otherwise be read whole first.
    const size = await source.fileSize?.(path);
    if (size !== undefined && size > MAX_JSON_BYTES) throw jsonTooLarge(path, size);
    const text = decodeJsonBytes(await readDataFile(source, path, jsonGunzipLimit(path)), path);
    return parseSklearnDigits(text, path, options.maxValue === undefined ? {} : { maxValue: options.maxValue });
  },
});
