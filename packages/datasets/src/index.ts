import { elasticAugmentation } from './augment/elastic.js';
import { rotateAugmentation } from './augment/rotate.js';
import { scaleAugmentation } from './augment/scale.js';
import { shiftAugmentation } from './augment/shift.js';
import { flatten } from './flatten.js';
import { idx } from './idx.js';
import { mnist } from './mnist.js';
import { scale } from './scale.js';
import { sklearnDigitsJson } from './sklearn-digits-json.js';
import { standardise } from './standardise.js';
import { txt32 } from './txt32.js';

/** Dataset plugins, for registry.register(). */
export const datasets = [idx, mnist, sklearnDigitsJson, txt32] as const;
/** Preprocessing plugins, for registry.register(). */
export const preprocessors = [scale, standardise, flatten] as const;
/**
 * Augmentation plugins (random transforms of training batches), for registry.register(). Their
 * ids are `shift`, `rotate`, `scale` and `elastic`; the constants carry an `Augmentation`
 * suffix because the preprocess `scale` already owns the name `scale`.
 */
export const augmentations = [shiftAugmentation, rotateAugmentation, scaleAugmentation, elasticAugmentation] as const;

export { idx, mnist, sklearnDigitsJson, txt32, scale, standardise, flatten };
export type { IdxOptions } from './idx.js';
export type { MnistOptions, MnistSplit } from './mnist.js';
export type { SklearnDigitsJsonOptions } from './sklearn-digits-json.js';
export type { Txt32Options, Txt32Split } from './txt32.js';
export { DIGITS_DATA_PACKAGE } from './packaged-digits.js';
export type { ScaleOptions } from './scale.js';
export type { StandardiseOptions } from './standardise.js';
export { shiftAugmentation, rotateAugmentation, scaleAugmentation, elasticAugmentation };
export type { ShiftOptions } from './augment/shift.js';
export type { RotateOptions } from './augment/rotate.js';
export type { ScaleAugmentationOptions } from './augment/scale.js';
export { elasticDefaults, type ElasticOptions } from './augment/elastic.js';

// Pure parsers (bytes or text in, Dataset out): usable in a browser.
export {
  parseIdx,
  readIdxHeader,
  readIdxFile,
  decodeIdx,
  decodeIdxDataset,
  idxToDataset,
  MAX_IDX_HEADER,
  type IdxData,
  type IdxFileNames,
  type IdxHeader,
  type IdxRole,
} from './idx-format.js';
export { mnistFileNames, MNIST_PACKAGE } from './mnist.js';
export { parseSklearnDigits, SKLEARN_DEFAULT_MAX_VALUE, type SklearnDigitsOptions } from './sklearn-digits-format.js';
export { parseTxt32, txt32Label, txt32Dataset, compareTxt32Names, TXT32_SIDE, type Txt32File } from './txt32-format.js';
export { isGzip, gunzip, maybeGunzip, type GunzipLimit } from './gzip.js';
export { parseJsonText, findJsonSyntaxError, lineColumn, type JsonSyntaxIssue } from './json-text.js';
export { DIGIT_CLASSES } from './describe.js';

// Data sources and subsets.
export { createMemoryDataSource } from './memory-source.js';
export { selectRange, type RangeOptions } from './select-range.js';
export { splitValidation, gather, type ValidationSplitOptions, type SplitResult } from './split-validation.js';

// Digit pictures (RGBA/grey pixels in, a model's sample out): pure, browser-safe.
export { defaultSampleFormat, digitImageToSample, inkToSample, imageSize, isBlankSample, type DigitSampleFormat } from './digit-image/sample.js';
export { findInk, noiseLevel, type InkImage } from './digit-image/ink.js';
export { centreByMass, centreOfMass, fitInk, inkBox } from './digit-image/fit.js';
export { estimatePaper, distanceFromPaper } from './digit-image/paper.js';
export { histogram256, histogramQuantile, otsuThreshold } from './digit-image/otsu.js';
export { toRgbPlanes, luminance, boxBlur, type PixelImage, type RgbPlanes } from './digit-image/pixels.js';
export { dropSpecks } from './digit-image/specks.js';
