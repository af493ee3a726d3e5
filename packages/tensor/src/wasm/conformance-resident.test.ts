import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import { MATMUL_VARIANTS, randomTensor } from '../ops/test-helpers.js';
import { type Rng, createRng } from '../rng.js';
import { type Shape, Tensor, formatShape } from '../tensor.js';
import { type WasmBackend, createWasmBackend } from '../wasm-backend.js';
import { type Place, put } from './test-placement.js';
import { testedFlavours } from './test-flavours.js';

/**
 * The wasm kernels on operands that live in wasm memory (Backend.zeros), against references on
 * plain tensors: every operand and the output is placed plain, resident, or as a subarray of a
 * resident tensor at an odd offset (unaligned for SIMD), in every combination, plus every
 * in-place aliasing the Backend allows. Elementwise and row kernels must match the JS reference
 * value for value (Object.is), as in conformance-elementwise.test.ts. matmul must be
 * bit-identical to the same build copying plain operands, which conformance-matmul.test.ts holds
 * to the float32 error bound against the JS reference: where operands live must not change a bit.
 */
const PLACES: readonly Place[] = ['plain', 'resident', 'view'];

/** Every assignment of a place to each of `count` operands. */
function placements(count: number): Place[][] {
  if (count === 0) return [[]];
  return placements(count - 1).flatMap((rest) => PLACES.map((p) => [p, ...rest]));
}

/** Random values with the special ones every kernel must treat like the reference. */
function values(rng: Rng, shape: Shape): Tensor {
  const t = randomTensor(rng, shape);
  const specials = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38, -1e-40];
  for (let i = 0; i < t.size; i += 5) t.data[i] = specials[rng.int(specials.length)]!;
  return t;
}

function expectIdentical(got: Tensor, expected: Tensor, label: string): void {
  for (let i = 0; i < expected.size; i++) {
    if (!Object.is(got.data[i], expected.data[i])) expect.fail(`${label} index ${i}: got ${got.data[i]}, reference ${expected.data[i]}`);
  }
}

/** A kernel call: inputs and an output of given shapes; the output starts dirty (axpy and accumulate read it). */
interface Case {
  readonly label: string;
  readonly inputs: readonly Shape[];
  readonly out: Shape;
  /** Inputs the output may be (in place). */
  readonly inPlace: readonly number[];
  run(backend: Backend, inputs: readonly Tensor[], out: Tensor): void;
}

/**
 * Runs `c` on `reference` with plain tensors, then on `wasm` for every placement of inputs and
 * output and every allowed aliasing, comparing the output and checking inputs are untouched.
 */
function conforms(wasm: WasmBackend, reference: Backend, c: Case, seed: number): void {
  const rng = createRng(seed);
  const inputs = c.inputs.map((shape) => values(rng, shape));
  const start = values(rng, c.out);
  const expected = start.clone();
  c.run(reference, inputs.map((t) => t.clone()), expected);
  for (const places of placements(inputs.length + 1)) {
    const placed = inputs.map((t, i) => put(wasm, t, places[i]!));
    const out = put(wasm, start, places[inputs.length]!);
    c.run(wasm, placed, out);
    const label = `${c.label} with ${places.join(', ')}`;
    expectIdentical(out, expected, label);
    placed.forEach((t, i) => expectIdentical(t, inputs[i]!, `${label}: input ${i} changed`));
  }
  for (const alias of c.inPlace) {
    const aliasedInputs = inputs.map((t, i) => (i === alias ? start : t));
    const inPlaceExpected = start.clone();
    c.run(reference, aliasedInputs.map((t, i) => (i === alias ? inPlaceExpected : t.clone())), inPlaceExpected);
    for (const places of placements(inputs.length)) {
      const placed = aliasedInputs.map((t, i) => put(wasm, t, places[i]!));
      c.run(wasm, placed, placed[alias]!);
      expectIdentical(placed[alias]!, inPlaceExpected, `${c.label} in place of input ${alias} with ${places.join(', ')}`);
    }
  }
}

const sizes = [0, 3, 17, 1027];
const matrices: ReadonlyArray<readonly [number, number]> = [[0, 5], [3, 1], [5, 9], [33, 17]];

function elementwiseCases(n: number): Case[] {
  const binary = (['add', 'sub', 'mul'] as const).map((k): Case => ({
    label: `${k} [${n}]`,
    inputs: [[n], [n]],
    out: [n],
    inPlace: [0, 1],
    run: (b, [x, y], out) => b[k](x!, y!, out),
  }));
  return [
    ...binary,
    { label: `scale [${n}]`, inputs: [[n]], out: [n], inPlace: [0], run: (b, [x], out) => b.scale(x!, 1 / 3, out) },
    // y is the output: axpy reads and writes it, and x may be y.
    { label: `axpy [${n}]`, inputs: [[n]], out: [n], inPlace: [0], run: (b, [x], y) => b.axpy(-0.7, x!, y) },
    { label: `leakyRelu [${n}]`, inputs: [[n]], out: [n], inPlace: [0], run: (b, [x], out) => b.leakyRelu(x!, 0.01, out) },
    {
      label: `leakyReluBackward [${n}]`,
      inputs: [[n], [n]],
      out: [n],
      inPlace: [0, 1],
      run: (b, [x, dy], out) => b.leakyReluBackward(x!, 0.25, dy!, out),
    },
  ];
}

function rowCases(rows: number, columns: number): Case[] {
  const label = formatShape([rows, columns]);
  return [
    {
      label: `addRowVector ${label}`,
      inputs: [[rows, columns], [columns]],
      out: [rows, columns],
      inPlace: [0],
      run: (b, [x, bias], out) => b.addRowVector(x!, bias!, out),
    },
    { label: `sumRows ${label}`, inputs: [[rows, columns]], out: [columns], inPlace: [], run: (b, [x], out) => b.sumRows(x!, out) },
  ];
}

describe.each(testedFlavours())('wasm kernels (%s) on resident operands', (flavour) => {
  const wasm = createWasmBackend({ flavour });
  const js = createJsBackend();

  it('runs on shared memory here, so zeros() tensors are resident', () => {
    expect(wasm.sharedMemory).toBe(true);
    expect(wasm.zeros([2]).data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('elementwise kernels match the JS reference for every placement and aliasing', () => {
    for (const n of sizes) for (const c of elementwiseCases(n)) conforms(wasm, js, c, n + 1);
  });

  it('row kernels match the JS reference for every placement and aliasing', () => {
    for (const [rows, columns] of matrices) for (const c of rowCases(rows, columns)) conforms(wasm, js, c, rows * 100 + columns);
  });

  it('delegated kernels (activations, softmax, reductions, argmax) work on resident views', () => {
    const rng = createRng(61);
    const x = values(rng, [13, 10]);
    const dy = values(rng, [13, 10]);
    const rx = put(wasm, x, 'view');
    const rdy = put(wasm, dy, 'resident');
    for (const kernel of ['sigmoid', 'tanh', 'softmaxRows', 'logSoftmaxRows'] as const) {
      const out = wasm[kernel](rx, put(wasm, x, 'resident'));
      expectIdentical(out, js[kernel](x), kernel);
    }
    for (const kernel of ['sigmoidBackward', 'tanhBackward', 'softmaxBackward'] as const) {
      expectIdentical(wasm[kernel](rx, rdy, put(wasm, dy, 'view')), js[kernel](x, dy), kernel);
    }
    expect(wasm.argmaxRows(rx)).toEqual(js.argmaxRows(x));
    expect(wasm.sum(rx)).toBe(js.sum(x));
    expect(wasm.sumOfSquares(rdy)).toBe(js.sumOfSquares(dy));
    expect(wasm.fill(rx, 2).data.every((v) => v === 2)).toBe(true);
  });

  it('matmul is bit-identical to copying plain operands, for every variant, placement and accumulate', () => {
    const copying = createWasmBackend({ flavour, sharedMemory: false });
    // [m, n, k]: odd sizes and sizes past the MC = 64 row and KC = 256 depth blocks.
    const shapes: ReadonlyArray<readonly [number, number, number]> = [[1, 1, 1], [7, 13, 5], [64, 30, 784], [130, 21, 300]];
    for (const [m, n, k] of shapes) {
      for (const o of MATMUL_VARIANTS) {
        for (const accumulate of [false, true]) {
          const options = { ...o, accumulate };
          const c: Case = {
            label: `matmul [${m}, ${n}, ${k}] ${JSON.stringify(options)}`,
            inputs: [o.transposeA ? [k, m] : [m, k], o.transposeB ? [n, k] : [k, n]],
            out: [m, n],
            inPlace: [],
            run: (b, [x, y], out) => b.matmul(x!, y!, options, out),
          };
          conforms(wasm, copying, c, m * n + k);
        }
      }
    }
  });

  it('rejects a partial overlap of resident views and accepts adjacent ones', () => {
    const memory = wasm.zeros([10]);
    memory.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const view = (start: number, end: number): Tensor => new Tensor([end - start], memory.data.subarray(start, end));
    expect(() => wasm.scale(view(0, 4), 2, view(2, 6))).toThrow(
      new RangeError('scale: out overlaps a; out may be a itself but must not partially overlap it (use a separate tensor)'),
    );
    // Inputs may overlap each other; the output starts right where b ends.
    wasm.add(view(0, 4), view(2, 6), view(6, 10));
    expect([...memory.data]).toEqual([1, 2, 3, 4, 5, 6, 4, 6, 8, 10]);
  });
});
