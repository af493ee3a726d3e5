import { defineDataset } from '@scratchnet/spec';
import { idxToDataset, readIdxFile } from './idx-format.js';

export interface IdxOptions {
  /** Images file (idx3 unsigned byte), raw or gzip. */
  readonly images: string;
  /** Labels file (idx1 unsigned byte), raw or gzip. */
  readonly labels: string;
}

/**
 * Any pair of idx files, e.g. Fashion-MNIST or a MNIST subset. Output [n, 1, rows, cols] with
 * raw pixel values 0..255 as bytes (add a `scale` preprocess step), classes '0'..'9'. gzip is detected by
 * the magic bytes, not the file name.
 */
export const idx = defineDataset<IdxOptions>({
  kind: 'dataset',
  type: 'idx',
  specVersion: 1,
  description: 'An idx images file and an idx labels file (raw or gzip), as in the MNIST distribution',
  optionsSchema: {
    type: 'object',
    properties: {
      images: { type: 'string', minLength: 1, description: 'Path of the idx3 images file (raw or .gz)' },
      labels: { type: 'string', minLength: 1, description: 'Path of the idx1 labels file (raw or .gz)' },
    },
    required: ['images', 'labels'],
    additionalProperties: false,
  },
  async load(options, source) {
    const files = { images: source.resolve(options.images), labels: source.resolve(options.labels) };
    const [images, labels] = await Promise.all([readIdxFile(source, files.images, 'images'), readIdxFile(source, files.labels, 'labels')]);
    return idxToDataset(images, labels, files);
  },
});
