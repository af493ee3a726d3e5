import { DataFormatError, defineDataset } from '@scratchnet/spec';
import { listNames } from './describe.js';
import { packagedDigits32 } from './packaged-digits.js';
import { joinPath, mapLimited } from './source-helpers.js';
import { compareTxt32Names, txt32Dataset, txt32Label } from './txt32-format.js';

export type Txt32Split = 'train' | 'test';

export interface Txt32Options {
  /** Folder of `<label>_<index>.txt` files; default: the digits embedded in @scratchnet/digits-data. */
  readonly dir?: string;
  /** Without `dir`: the embedded trainingDigits/ (`train`, the default) or testDigits/ (`test`). */
  readonly split?: Txt32Split;
}

/** The embedded set used when neither `dir` nor `split` is given. */
const DEFAULT_SPLIT: Txt32Split = 'train';

/** Files read at once; enough to hide latency without opening thousands of handles. */
const READ_CONCURRENCY = 32;

const isTxt = (name: string): boolean => !name.startsWith('.') && name.toLowerCase().endsWith('.txt');

/**
 * A folder of 32x32 '0'/'1' text digits (trainingDigits/, testDigits/). Output [n, 1, 32, 32]
 * with pixels 0/1, classes '0'..'9', files ordered by label then index. Names that do not end
 * in .txt (and hidden files) are ignored. Without `dir` it loads the copy of trainingDigits/
 * (`split: train`, the default) or testDigits/ (`split: test`) embedded in
 * @scratchnet/digits-data, in the same order, so it works offline on a fresh install.
 */
export const txt32 = defineDataset<Txt32Options>({
  kind: 'dataset',
  type: 'txt32',
  specVersion: 1,
  description: "32x32 text digits ('0'/'1' characters): embedded (1933 train / 946 test), or a folder of <label>_<index>.txt files",
  optionsSchema: {
    type: 'object',
    properties: {
      dir: { type: 'string', minLength: 1, description: 'Folder of <label>_<index>.txt files; default: the digits embedded in the digits-data package' },
      split: {
        type: 'string',
        enum: ['train', 'test'],
        description: 'Without dir: the embedded trainingDigits (train, 1933 digits; the default) or testDigits (test, 946); not allowed with dir',
      },
    },
    // A folder is one split already: `split` beside `dir` would be silently ignored.
    dependentSchemas: { dir: { type: 'object', properties: { split: false } } },
    additionalProperties: false,
  },
  async load(options, source) {
    if (options.dir === undefined) return packagedDigits32(options.split ?? DEFAULT_SPLIT);
    const dir = source.resolve(options.dir);
    const entries = await source.readDir(dir);
    const names = entries.filter(isTxt);
    if (names.length === 0) {
      throw new DataFormatError(
        { file: dir },
        "a folder of '<label>_<index>.txt' digit files",
        entries.length === 0 ? 'an empty folder' : `no .txt files (only ${listNames(entries)})`,
        'Point `dir` at a folder such as trainingDigits/ or testDigits/.',
      );
    }
    const paths = names.sort(compareTxt32Names).map((name) => joinPath(dir, name));
    // Check every name before reading anything, so a stray file fails fast.
    paths.forEach(txt32Label);
    const files = await mapLimited(paths, READ_CONCURRENCY, async (path) => ({ name: path, content: await source.readFile(path) }));
    return txt32Dataset(files, `txt32 ${dir}`);
  },
});
