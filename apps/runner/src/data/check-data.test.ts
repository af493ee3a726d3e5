import type { Dataset } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { EXIT, RunnerError } from '../exit-codes.js';
import { checkLoadedDataset, checkPreprocessed, firstNonFinite } from './check-data.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** `count` samples of [1, 2, 3], every pixel 0.5, labels i % 10. */
function dataset(count: number, patch: Partial<Dataset> = {}): Dataset {
  return {
    images: new Float32Array(count * 6).fill(0.5),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    sampleShape: [1, 2, 3],
    count,
    classNames: DIGITS,
    source: 'tiny.json',
    ...patch,
  };
}

/** The RunnerError `run` throws; fails the test when it throws nothing or something else. */
function errorOf(run: () => void): RunnerError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RunnerError);
    return error as RunnerError;
  }
  return expect.fail('expected a RunnerError');
}

describe('firstNonFinite', () => {
  it('finds NaN and both infinities, and nothing in finite data', () => {
    expect(firstNonFinite(Float32Array.of(0, -3.5, 1e38))).toBe(-1);
    expect(firstNonFinite(Float32Array.of(0, NaN, Infinity))).toBe(1);
    expect(firstNonFinite(Float32Array.of(0, 1, -Infinity))).toBe(2);
    expect(firstNonFinite(Uint8Array.of(0, 255))).toBe(-1);
  });
});

describe('checkLoadedDataset', () => {
  it('accepts a consistent, finite data set', () => {
    expect(() => checkLoadedDataset(dataset(4), 'data.train', 'acme/tiny')).not.toThrow();
  });

  it('refuses NaN or Infinity naming the config path, the sample index and the pixel (exit 3)', () => {
    const images = new Float32Array(5 * 6).fill(1);
    images[3 * 6 + 4] = NaN;
    const error = errorOf(() => checkLoadedDataset(dataset(5, { images }), 'data.train', 'acme/tiny'));
    expect(error.exitCode).toBe(EXIT.badData);
    expect(error.message).toMatch(
      /^data\.train \(type acme\/tiny, from tiny\.json\): expected finite pixel values, found NaN at sample 3, pixel 4 of \[1, 2, 3\] \(channel 0, row 1, col 1, counting from 0\)/,
    );
    images[3 * 6 + 4] = 1;
    images[6] = -Infinity;
    expect(errorOf(() => checkLoadedDataset(dataset(5, { images }), 'data.test', 'x')).message).toMatch(/^data\.test .*found -Infinity at sample 1, pixel 0 /);
  });

  it('refuses a label outside the classes, naming the sample and the value', () => {
    const labels = Uint8Array.of(1, 2, 12);
    const error = errorOf(() => checkLoadedDataset(dataset(3, { labels }), '--data', 'acme/tiny'));
    expect(error.exitCode).toBe(EXIT.badData);
    expect(error.message).toMatch(/^--data \(type acme\/tiny, from tiny\.json\): sample 2 \(counting from 0, before skip\/take\) has label 12, but the data set has 10 classes \(labels 0\.\.9\)/);
  });

  it('refuses sizes that disagree with count and sampleShape as a plugin bug', () => {
    expect(errorOf(() => checkLoadedDataset(dataset(3, { images: new Float32Array(17) }), 'data.train', 'p')).message).toMatch(
      /expected 3 samples x 6 values \(\[1, 2, 3\]\) = 18 pixel values, found 17\. This is a bug in the dataset plugin/,
    );
    expect(errorOf(() => checkLoadedDataset(dataset(3, { labels: new Uint8Array(2) }), 'data.train', 'p')).message).toMatch(/expected 3 labels \(one per sample\), found 2/);
    expect(errorOf(() => checkLoadedDataset(dataset(0), 'data.train', 'p')).message).toMatch(/has 0 samples; expected at least 1/);
  });
});

describe('checkPreprocessed', () => {
  it('names the step, its type and the sample a non-finite value came out at', () => {
    expect(() => checkPreprocessed(undefined, 'training')).not.toThrow();
    const error = errorOf(() => checkPreprocessed({ step: 1, type: 'acme/log', index: 3, value: Infinity, sampleShape: [2] }, 'test'));
    expect(error.exitCode).toBe(EXIT.badData);
    expect(error.message).toMatch(/^data\.preprocess\[1\] \(acme\/log\) turned finite test data into Infinity at sample 1, pixel 1 of \[2\] \(indices count from 0 within the test samples\)/);
  });
});
