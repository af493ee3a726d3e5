// Test-only helpers: tiny in-memory fixtures of each format, error assertions and the location
// of the real data. Excluded from the build (test-*.ts).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFormatError, type DataLocation, type Dataset } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';
import { expect } from 'vitest';

/** An idx file: unsigned-byte magic, big-endian dims, then `values`. */
export function idxBytes(dims: readonly number[], values: ArrayLike<number>, magic = 0x800 + dims.length): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + values.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(Array.from(values), 4 + 4 * dims.length);
  return bytes;
}

/** `count` images of rows x cols whose pixel k of image i is (i * 7 + k) % 256. */
export function idxImages(count: number, rows = 2, cols = 3): Uint8Array {
  return idxBytes([count, rows, cols], Array.from({ length: count * rows * cols }, (_, k) => (Math.floor(k / (rows * cols)) * 7 + (k % (rows * cols))) % 256));
}

export function idxLabels(labels: readonly number[]): Uint8Array {
  return idxBytes([labels.length], labels);
}

/** A load_digits()-style JSON text; `data` rows are 64 values, `images` the same as 8x8. */
export function sklearnJson(samples: readonly (readonly number[])[], target: readonly number[], parts: { data?: boolean; images?: boolean; targetNames?: readonly unknown[] } = {}): string {
  const { data = true, images = false } = parts;
  const root: Record<string, unknown> = { target };
  if (data) root.data = samples;
  if (images) root.images = samples.map((row) => Array.from({ length: 8 }, (_, r) => row.slice(r * 8, r * 8 + 8)));
  if (parts.targetNames !== undefined) root.target_names = parts.targetNames;
  return JSON.stringify(root);
}

/** A 64-pixel sample whose pixel k is (k + shift) % 17. */
export function sklearnSample(shift: number): number[] {
  return Array.from({ length: 64 }, (_, k) => (k + shift) % 17);
}

/** 32 lines of 32 characters; pixel (r, c) is 1 when r === c or r + c === 31 (an X). */
export function txt32Text(lineEnd = '\r\n', finalLineEnd = true): string {
  const lines = Array.from({ length: 32 }, (_, r) => Array.from({ length: 32 }, (_, c) => (r === c || r + c === 31 ? '1' : '0')).join(''));
  return lines.join(lineEnd) + (finalLineEnd ? lineEnd : '');
}

/** Asserts that `run` throws (or rejects with) a DataFormatError at `location`; returns it. */
export async function expectDataError(run: () => unknown, location: Partial<DataLocation>, message?: RegExp): Promise<DataFormatError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a DataFormatError').toBeInstanceOf(DataFormatError);
  const error = caught as DataFormatError;
  expect(error.location).toMatchObject(location);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

/** Invariants every loaded Dataset must satisfy. */
export function expectValidDataset(dataset: Dataset): void {
  const size = shapeSize(dataset.sampleShape);
  expect(dataset.count).toBeGreaterThan(0);
  // The built-in formats hold whole values 0..255: bytes.
  expect(dataset.images).toBeInstanceOf(Uint8Array);
  expect(dataset.labels).toBeInstanceOf(Uint8Array);
  expect(dataset.images.length).toBe(dataset.count * size);
  expect(dataset.labels.length).toBe(dataset.count);
  for (let i = 0; i < dataset.count; i++) if (dataset.labels[i]! >= dataset.classNames.length) throw new Error(`label ${i} out of range`);
  for (let i = 0; i < dataset.images.length; i++) if (!Number.isFinite(dataset.images[i]!)) throw new Error(`pixel ${i} not finite`);
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The folder SCRATCHNET_DATA names, or undefined. A relative value is tried against the working
 * directory and then the repository root (CI sets it to ../shared/data, relative to the root,
 * while vitest runs inside the package).
 */
export function findDataDir(): string | undefined {
  const value = process.env.SCRATCHNET_DATA;
  if (value === undefined || value === '') return undefined;
  if (isAbsolute(value)) return existsSync(value) ? value : undefined;
  let root = here;
  while (!existsSync(join(root, 'pnpm-workspace.yaml')) && dirname(root) !== root) root = dirname(root);
  return [resolve(value), resolve(root, value)].find((candidate) => existsSync(candidate));
}

/** Test-name suffix telling how to enable the real-data tests. */
export const ENABLE_REAL_DATA = '(set SCRATCHNET_DATA=../shared/data to run)';

/** Byte-for-byte equality of two typed arrays (vitest's deep equality is far too slow for millions of values). */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A Dataset of `labels.length` samples of shape [1, 2, 2] whose pixels are all the sample's index. */
export function tinyDataset(labels: readonly number[], classCount = 10): Dataset {
  const images = new Float32Array(labels.length * 4);
  for (let i = 0; i < labels.length; i++) images.fill(i, i * 4, (i + 1) * 4);
  return { images, labels: Uint8Array.from(labels), sampleShape: [1, 2, 2], count: labels.length, classNames: Array.from({ length: classCount }, (_, c) => String(c)), source: 'tiny' };
}
