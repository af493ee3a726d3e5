import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idx } from './idx.js';
import { createMemoryDataSource } from './memory-source.js';
import { expectDataError, idxImages, idxLabels } from './test-fixtures.js';

describe('idx plugin', () => {
  it('loads an images/labels pair, raw or gzip, whatever the file names say', async () => {
    const source = createMemoryDataSource({
      'd/images.bin': idxImages(3, 4, 5),
      'd/labels.gz': gzipSync(idxLabels([7, 0, 7])),
      'd/images-misnamed.gz': idxImages(3, 4, 5),
    });
    const dataset = await idx.load({ type: 'idx', images: 'd/images.bin', labels: 'd/labels.gz' }, source);
    expect(dataset.count).toBe(3);
    expect(dataset.sampleShape).toEqual([1, 4, 5]);
    expect(Array.from(dataset.labels)).toEqual([7, 0, 7]);
    expect(dataset.source).toBe('idx d/images.bin + d/labels.gz');
    const misnamed = await idx.load({ type: 'idx', images: 'd/images-misnamed.gz', labels: 'd/labels.gz' }, source);
    expect(misnamed.images).toEqual(dataset.images);
  });

  it('reports a missing file by name', async () => {
    const source = createMemoryDataSource({ 'labels.idx': idxLabels([1]) });
    await expectDataError(() => idx.load({ type: 'idx', images: 'images.idx', labels: 'labels.idx' }, source), { file: 'images.idx' }, /expected an existing file or folder, found nothing \(not found: images.idx\)/);
  });

  it('declares both files as required options', () => {
    expect(idx.optionsSchema).toMatchObject({ required: ['images', 'labels'], additionalProperties: false });
  });
});
