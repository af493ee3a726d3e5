import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { BYTE_VALUES } from '../ops/gather.js';
import { type Rng, createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { type WasmBackend, createWasmBackend, wasmBackendOn } from '../wasm-backend.js';
import { wasmApi } from './api.js';
import { compileKernels, instantiateKernels } from './kernels.js';
import { type Place, put } from './test-placement.js';
import { testedFlavours } from './test-flavours.js';
import { Workspace } from './workspace.js';

/**
 * Conformance of the wasm gatherBytes kernel against the JS reference. A table lookup does no
 * arithmetic, so every value must be identical (Object.is: NaN, -0 and infinities in the table
 * included), for odd row lengths around the kernel's four-byte steps, repeated and unordered
 * indices, every place of the output, and a source resident in wasm memory or not (where the
 * binding hands the call to the reference).
 */
const js = createJsBackend();
const PLACES: readonly Place[] = ['plain', 'resident', 'view'];
// [rows in the source, row length, batch rows]: row lengths 1..9 around the 4-byte step, MNIST's
// 784, the 8x8 digits' 64, one row, and an empty batch.
const SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [5, 1, 3], [7, 2, 4], [6, 3, 6], [9, 4, 5], [4, 5, 9], [3, 7, 2], [10, 9, 10], [40, 784, 17], [30, 64, 64], [1, 13, 1], [3, 6, 0],
];

function randomBytes(rng: Rng, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => rng.int(BYTE_VALUES));
}

/** Scaled values with the specials a table may hold at random byte values. */
function randomTable(rng: Rng): Float32Array {
  const table = Float32Array.from({ length: BYTE_VALUES }, (_, v) => (v - 33.3) / 71.7);
  const specials = [-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38, 1e-45];
  for (const special of specials) table[rng.int(BYTE_VALUES)] = special;
  return table;
}

function expectIdentical(got: Float32Array, expected: Float32Array, label: string): void {
  expect(got.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(got[i], expected[i])) expect.fail(`${label} index ${i}: got ${got[i]}, reference ${expected[i]}`);
  }
}

function conforms(wasm: WasmBackend, source: Uint8Array, shape: readonly [number, number, number], rng: Rng, place: Place, label: string): void {
  const [count, rowLength, rows] = shape;
  const indices = Int32Array.from({ length: rows }, () => rng.int(count));
  const table = randomTable(rng);
  const expected = js.gatherBytes(source, indices, table, Tensor.zeros([rows, rowLength]));
  const out = put(wasm, Tensor.from([rows, rowLength], new Array<number>(rows * rowLength).fill(7)), place);
  expect(wasm.gatherBytes(source, indices, table, out)).toBe(out);
  expectIdentical(out.data as Float32Array, expected.data as Float32Array, `${label}, out ${place}`);
}

describe.each(testedFlavours())('wasm gatherBytes (%s) vs the JS reference', (flavour) => {
  const wasm = createWasmBackend({ flavour });

  it('agrees value for value from a resident source, wherever the batch lives', () => {
    const rng = createRng(21);
    for (const shape of SHAPES) {
      const plain = randomBytes(rng, shape[0] * shape[1]);
      const resident = wasm.residentBytes(plain);
      expect(resident).not.toBe(plain);
      for (const place of PLACES) conforms(wasm, resident, shape, rng, place, `[${shape.join(', ')}] resident`);
    }
  });

  it('agrees on a source that is not resident, and on an unaligned view of a resident one', () => {
    const rng = createRng(22);
    const plain = randomBytes(rng, 11 * 9 + 3);
    conforms(wasm, plain.subarray(3), [11, 9, 8], rng, 'resident', 'plain source');
    const view = wasm.residentBytes(plain).subarray(3);
    conforms(wasm, view, [11, 9, 8], rng, 'view', 'resident view at offset 3');
  });

  it('places each array once: the same view for the same array, a resident one as it is', () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, k) => k);
    const resident = wasm.residentBytes(bytes);
    expect([...resident]).toEqual([...bytes]);
    expect(resident.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(resident.byteOffset % 64).toBe(0);
    expect(wasm.residentBytes(bytes)).toBe(resident);
    expect(wasm.residentBytes(resident)).toBe(resident);
    const view = resident.subarray(10, 20);
    expect(wasm.residentBytes(view)).toBe(view);
    // Later tensors never overlap it, and growing memory keeps it valid.
    const after = wasm.zeros([4_000_000]);
    expect(after.data.byteOffset).toBeGreaterThanOrEqual(resident.byteOffset + resident.length);
    expect([...resident]).toEqual([...bytes]);
  });

  it('falls back to the plain array where memory cannot grow that far, taking nothing', () => {
    // A shared memory with a 4-page (256 KiB) maximum, which the shared build accepts.
    const memory = new (wasmApi()!.Memory)({ initial: 1, maximum: 4, shared: true });
    const small = wasmBackendOn(new Workspace(instantiateKernels(compileKernels(flavour, true), memory), true), flavour);
    const before = small.zeros([1]);
    const big = new Uint8Array(300_000);
    expect(small.residentBytes(big)).toBe(big);
    expect(small.zeros([1]).data.byteOffset).toBe(before.data.byteOffset + 64);
    const fits = Uint8Array.of(9, 8, 7);
    expect(small.residentBytes(fits)).not.toBe(fits);
  });

  it('falls back to the plain array where memory is not shared', () => {
    const own = createWasmBackend({ flavour, sharedMemory: false });
    const bytes = Uint8Array.of(1, 2, 3, 4);
    expect(own.residentBytes(bytes)).toBe(bytes);
    const out = Tensor.zeros([1, 2]);
    own.gatherBytes(bytes, Int32Array.of(1), Float32Array.from({ length: BYTE_VALUES }, (_, v) => v * 2), out);
    expect([...out.data]).toEqual([6, 8]);
  });

  it('refuses an index outside the rows with the reference message, before writing', () => {
    const source = wasm.residentBytes(new Uint8Array(12));
    const out = wasm.zeros([2, 4]);
    out.data.fill(5);
    expect(() => wasm.gatherBytes(source, Int32Array.of(0, 3), new Float32Array(BYTE_VALUES), out)).toThrow(
      new RangeError("gatherBytes: index 3 of row 1 is outside the source's 3 rows of 4 bytes (12 bytes)"),
    );
    expect(out.data.every((v) => v === 5)).toBe(true);
  });
});
