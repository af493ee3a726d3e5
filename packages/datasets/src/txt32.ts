import { DataFormatError, defineDataset } from '@scratchnet/spec';
import { listNames } from './describe.js';
import { joinPath, mapLimited } from './source-helpers.js';
import { compareTxt32Names, txt32Dataset, txt32Label } from './txt32-format.js';

export interface Txt32Options {
  /** Folder of `<label>_<index>.txt` files. */
  readonly dir: string;
}

/** Files read at once; enough to hide latency without opening thousands of handles. */
const READ_CONCURRENCY = 32;

const isTxt = (name: string): boolean => !name.startsWith('.') && name.toLowerCase().endsWith('.txt');

/**
 * A folder of 32x32 '0'/'1' text digits (trainingDigits/, testDigits/). Output [n, 1, 32, 32]
 * with pixels 0/1, classes '0'..'9', files ordered by label then index. Names that do not end
 * in .txt (and hidden files) are ignored.
 */
export const txt32 = defineDataset<Txt32Options>({
  kind: 'dataset',
  type: 'txt32',
  specVersion: 1,
  description: "A folder of 32x32 text digits ('0'/'1' characters), one <label>_<index>.txt file per sample",
  optionsSchema: {
    type: 'object',
    properties: {
      dir: { type: 'string', minLength: 1, description: 'Folder of <label>_<index>.txt files' },
    },
    required: ['dir'],
    additionalProperties: false,
  },
  async load(options, source) {
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
