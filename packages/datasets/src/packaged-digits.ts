import { DIGITS32_FOLDERS, loadDigits32, loadSklearnDigits, type DigitImages, type Digits32Split } from '@scratchnet/digits-data';
import { DataFormatError, type Dataset } from '@scratchnet/spec';
import { DIGIT_CLASSES } from './describe.js';

/**
 * The digits embedded in the @scratchnet/digits-data package, as Datasets: what the
 * sklearn-digits-json and txt32 plugins load when a config gives no file. No file access: the
 * bytes are JavaScript modules of that package.
 */

/** The npm package holding the embedded 8x8 and 32x32 digits. */
export const DIGITS_DATA_PACKAGE = '@scratchnet/digits-data';

function toDataset(digits: DigitImages, source: string): Dataset {
  return {
    images: digits.pixels,
    labels: digits.labels,
    sampleShape: [1, digits.rows, digits.cols],
    count: digits.count,
    classNames: DIGIT_CLASSES,
    source,
  };
}

/** The 1797 8x8 digits of load_digits(), pixels 0..16; refuses them when `maxValue` is below 16. */
export async function packagedSklearnDigits(maxValue: number): Promise<Dataset> {
  const digits = await loadSklearnDigits();
  const source = `the sklearn digits of ${DIGITS_DATA_PACKAGE}`;
  if (maxValue < digits.maxValue) {
    throw new DataFormatError(
      { file: source },
      `pixel values 0..${maxValue} (the maxValue option)`,
      `values up to ${digits.maxValue}`,
      `The embedded digits use 0..${digits.maxValue}: leave out maxValue, or give a \`path\` to your own file.`,
    );
  }
  return toDataset(digits, source);
}

/** trainingDigits/ (`train`) or testDigits/ (`test`) of the 32x32 text digits, pixels 0/1. */
export async function packagedDigits32(split: Digits32Split): Promise<Dataset> {
  return toDataset(await loadDigits32(split), `txt32 ${DIGITS32_FOLDERS[split]} of ${DIGITS_DATA_PACKAGE}`);
}
