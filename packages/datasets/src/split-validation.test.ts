import { ConfigError } from '@scratchnet/spec';
import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { splitValidation } from './split-validation.js';
import { tinyDataset } from './test-fixtures.js';

// 100 samples: 70 of class 0, 20 of class 1, 10 of class 2, interleaved.
const labels = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 2 : i % 10 <= 2 ? 1 : 0));
const dataset = tinyDataset(labels, 3);
const countOf = (values: Uint8Array, c: number): number => values.filter((v) => v === c).length;

describe('splitValidation', () => {
  it('holds out round(fraction * n) samples, disjoint and complete, each part in original order', () => {
    const { train, validation } = splitValidation(dataset, { fraction: 0.25 }, createRng(1));
    expect(validation.count).toBe(25);
    expect(train.count).toBe(75);
    // Pixels carry the sample index, so they tell which samples went where.
    const ids = (part: typeof train) => Array.from({ length: part.count }, (_, i) => part.images[i * 4]!);
    const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const part of [train, validation]) {
      const order = ids(part);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      order.forEach((id, i) => expect(part.labels[i]).toBe(labels[id]));
    }
    expect(validation.source).toBe('tiny [25% validation part]');
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = splitValidation(dataset, { fraction: 0.2 }, createRng(7)).validation.images;
    const b = splitValidation(dataset, { fraction: 0.2 }, createRng(7)).validation.images;
    const c = splitValidation(dataset, { fraction: 0.2 }, createRng(8)).validation.images;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps class proportions with stratify', () => {
    for (const seed of [1, 2, 3]) {
      const { train, validation } = splitValidation(dataset, { fraction: 0.1, stratify: true }, createRng(seed));
      expect([0, 1, 2].map((c) => countOf(validation.labels, c))).toEqual([7, 2, 1]);
      expect([0, 1, 2].map((c) => countOf(train.labels, c))).toEqual([63, 18, 9]);
    }
  });

  it('distributes rounding by largest remainder so the total stays round(fraction * n)', () => {
    // fraction 0.15: exact shares 10.5, 3, 1.5 -> floors 10, 3, 1 (14); one more goes to class 0
    // (remainder 0.5, tied with class 2, lower index wins) to reach round(15) = 15.
    const { validation } = splitValidation(dataset, { fraction: 0.15, stratify: true }, createRng(4));
    expect([0, 1, 2].map((c) => countOf(validation.labels, c))).toEqual([11, 3, 1]);
  });

  it('rejects a fraction that leaves a part empty, as a config error', () => {
    const small = tinyDataset([0, 1, 0]);
    expect(() => splitValidation(small, { fraction: 0.1 }, createRng(1))).toThrow(ConfigError);
    expect(() => splitValidation(small, { fraction: 0.1 }, createRng(1))).toThrow(/data.validation.fromTrain: a validation fraction of 0.1 of 3 samples holds out 0 samples/);
    expect(() => splitValidation(small, { fraction: 0.9 }, createRng(1))).toThrow(/holds out 3 samples/);
    expect(() => splitValidation(small, { fraction: 1 }, createRng(1))).toThrow(ConfigError);
  });

  it('keeps byte images as bytes in both parts, holding the same samples as a float copy would', () => {
    const bytes = { ...dataset, images: Uint8Array.from(dataset.images) };
    const fromBytes = splitValidation(bytes, { fraction: 0.2 }, createRng(7));
    const fromFloats = splitValidation(dataset, { fraction: 0.2 }, createRng(7));
    for (const part of ['train', 'validation'] as const) {
      expect(fromBytes[part].images).toBeInstanceOf(Uint8Array);
      expect(Array.from(fromBytes[part].images)).toEqual(Array.from(fromFloats[part].images));
    }
  });
});
