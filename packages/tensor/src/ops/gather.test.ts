import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { Tensor } from '../tensor.js';
import { BYTE_VALUES, gatherBytesKernel } from './gather.js';

const backend = createJsBackend();

/** The plain conversion: every byte value to itself. */
const identity = (): Float32Array => Float32Array.from({ length: BYTE_VALUES }, (_, v) => v);

describe('gatherBytes (JS reference)', () => {
  it('gathers the rows at the indices, in index order, converting each byte through the table', () => {
    // Three rows of four bytes.
    const source = Uint8Array.of(0, 1, 2, 3, 10, 11, 12, 13, 200, 201, 254, 255);
    const out = Tensor.zeros([4, 4]);
    expect(backend.gatherBytes(source, Int32Array.of(2, 0, 2, 1), identity(), out)).toBe(out);
    expect([...out.data]).toEqual([200, 201, 254, 255, 0, 1, 2, 3, 200, 201, 254, 255, 10, 11, 12, 13]);
  });

  it('looks every value up in the table, which may hold any float32', () => {
    const table = Float32Array.from({ length: BYTE_VALUES }, (_, v) => v / 255);
    table[7] = -0.5;
    const out = Tensor.zeros([1, 2, 2]);
    backend.gatherBytes(Uint8Array.of(9, 9, 9, 9, 255, 7, 0, 128), Int32Array.of(1), table, out);
    expect([...out.data]).toEqual([1, -0.5, 0, Math.fround(128 / 255)]);
  });

  it('takes the row length from out, so [rows, c, h, w] batches work as [rows, c·h·w]', () => {
    const source = Uint8Array.from({ length: 5 * 6 }, (_, k) => k);
    const out = Tensor.zeros([2, 1, 2, 3]);
    backend.gatherBytes(source, Int32Array.of(4, 1), identity(), out);
    expect([...out.data]).toEqual([24, 25, 26, 27, 28, 29, 6, 7, 8, 9, 10, 11]);
  });

  it('writes nothing for no indices, and the kernel works on a plain Float32Array', () => {
    const out = Tensor.zeros([0, 3]);
    backend.gatherBytes(Uint8Array.of(1, 2, 3), new Int32Array(0), identity(), out);
    const plain = new Float32Array(3);
    gatherBytesKernel(Uint8Array.of(1, 2, 3, 4, 5, 6), Int32Array.of(1), identity(), plain, 3);
    expect([...plain]).toEqual([4, 5, 6]);
  });

  it('refuses a float64 batch, a short table, a wrong index count and an index outside the rows, naming them', () => {
    const source = new Uint8Array(12);
    expect(() => backend.gatherBytes(source, Int32Array.of(0), identity(), Tensor.zeros([1, 4], 'float64'))).toThrow(
      'gatherBytes: out is [1, 4] float64; byte rows gather into a float32 batch (convert the batch afterwards)',
    );
    expect(() => backend.gatherBytes(source, Int32Array.of(0), new Float32Array(255), Tensor.zeros([1, 4]))).toThrow(
      'gatherBytes: the table has 255 values; it needs one per byte value (256)',
    );
    expect(() => backend.gatherBytes(source, Int32Array.of(0, 1), identity(), Tensor.zeros([1, 4]))).toThrow(
      'gatherBytes: out is [1, 4] (1 rows) but 2 indices were given; pass one index per row',
    );
    const out = Tensor.from([2, 4], new Array<number>(8).fill(7));
    expect(() => backend.gatherBytes(source, Int32Array.of(2, 3), identity(), out)).toThrow(
      "gatherBytes: index 3 of row 1 is outside the source's 3 rows of 4 bytes (12 bytes)",
    );
    expect(() => backend.gatherBytes(source, Int32Array.of(-1, 0), identity(), out)).toThrow(/index -1 of row 0/);
    // Checked before anything is written.
    expect(out.data.every((v) => v === 7)).toBe(true);
  });

  it('keeps residentBytes on the JS backend as the array itself', () => {
    const bytes = Uint8Array.of(1, 2, 3);
    expect(backend.residentBytes(bytes)).toBe(bytes);
  });
});
