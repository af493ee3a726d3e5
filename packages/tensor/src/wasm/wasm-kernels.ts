import { JS_KERNELS, type KernelTable } from '../kernels.js';
import type { FloatArray } from '../tensor.js';
import type { KernelExports } from './kernels.js';
import type { Workspace } from './workspace.js';

const is64 = (x: FloatArray): boolean => x.BYTES_PER_ELEMENT === 8;
const flag = (value: boolean): number => (value ? 1 : 0);

/** Binary op codes of the module's `binary` kernel. */
const ADD = 0;
const SUB = 1;
const MUL = 2;

/** One C (+)= op(A)·op(B) on operands already in wasm memory (byte offsets, row strides in floats). */
export interface GemmCall {
  readonly a: number;
  readonly lda: number;
  readonly b: number;
  readonly ldb: number;
  readonly c: number;
  readonly ldc: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly accumulate: boolean;
}

/** Runs GEMMs, on this thread or split across threads; each thread gets `scratchBytes` of scratch. */
export interface GemmEngine {
  readonly threads: number;
  run(call: GemmCall, scratch: number, scratchBytes: number): void;
}

/** The module's gemm on the calling thread. */
export function singleThreadGemm(wasm: KernelExports): GemmEngine {
  return {
    threads: 1,
    run(g, scratch) {
      wasm.gemm(g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.m, g.n, g.k, flag(g.transA), flag(g.transB), flag(g.accumulate), scratch);
    },
  };
}

/**
 * The kernel table of the wasm backend: float32 operands of the hot kernels are copied into the
 * module's memory, computed there with SIMD, and the result copied back; float64 operands
 * (gradient checks) and the kernels not worth a round trip (sigmoid, tanh, softmax on
 * [batch, classes], argmax, reductions) use the JS reference kernels.
 */
export function wasmKernelTable(workspace: Workspace, engine: GemmEngine = singleThreadGemm(workspace.kernels)): KernelTable {
  const wasm = workspace.kernels;

  const binaryOp = (op: number, fallback: KernelTable['add']): KernelTable['add'] => (a, b, out, n) => {
    if (is64(a)) return fallback(a, b, out, n);
    const { heap, offsets } = workspace.layout([n, n]);
    const [aAt, bAt] = offsets as [number, number];
    heap.set(a, aAt);
    heap.set(b, bAt);
    wasm.binary(op, aAt * 4, bAt * 4, aAt * 4, n);
    out.set(heap.subarray(aAt, aAt + n));
  };

  return {
    ...JS_KERNELS,

    matmul(a, b, c, m, n, k, transposeA, transposeB, accumulate) {
      if (is64(c)) return JS_KERNELS.matmul(a, b, c, m, n, k, transposeA, transposeB, accumulate);
      // Scratch per thread rounded to whole cache lines, so threads never share one.
      const scratchFloats = Math.ceil(wasm.gemmScratchFloats(m, n, k) / 16) * 16;
      const { heap, offsets } = workspace.layout([a.length, b.length, m * n, scratchFloats * engine.threads]);
      const [aAt, bAt, cAt, scratchAt] = offsets as [number, number, number, number];
      heap.set(a, aAt);
      heap.set(b, bAt);
      if (accumulate) heap.set(c, cAt);
      const call: GemmCall = {
        a: aAt * 4,
        lda: transposeA ? m : k,
        b: bAt * 4,
        ldb: transposeB ? k : n,
        c: cAt * 4,
        ldc: n,
        m,
        n,
        k,
        transA: transposeA,
        transB: transposeB,
        accumulate,
      };
      engine.run(call, scratchAt * 4, scratchFloats * 4);
      c.set(heap.subarray(cAt, cAt + m * n));
    },

    addRowVector(x, bias, out, rows, columns) {
      if (is64(x)) return JS_KERNELS.addRowVector(x, bias, out, rows, columns);
      const n = rows * columns;
      const { heap, offsets } = workspace.layout([n, columns]);
      const [xAt, biasAt] = offsets as [number, number];
      heap.set(x.subarray(0, n), xAt);
      heap.set(bias.subarray(0, columns), biasAt);
      wasm.addRowVector(xAt * 4, biasAt * 4, xAt * 4, rows, columns);
      out.set(heap.subarray(xAt, xAt + n));
    },

    sumRows(x, out, rows, columns) {
      if (is64(x)) return JS_KERNELS.sumRows(x, out, rows, columns);
      const n = rows * columns;
      const { heap, offsets } = workspace.layout([n, columns]);
      const [xAt, outAt] = offsets as [number, number];
      heap.set(x.subarray(0, n), xAt);
      wasm.sumRows(xAt * 4, outAt * 4, rows, columns);
      out.set(heap.subarray(outAt, outAt + columns));
    },

    leakyRelu(x, slope, out, n) {
      if (is64(x)) return JS_KERNELS.leakyRelu(x, slope, out, n);
      const { heap, offsets } = workspace.layout([n]);
      const [xAt] = offsets as [number];
      heap.set(x.subarray(0, n), xAt);
      wasm.leakyRelu(xAt * 4, slope, xAt * 4, n);
      out.set(heap.subarray(xAt, xAt + n));
    },

    leakyReluBackward(x, slope, dy, out, n) {
      if (is64(x)) return JS_KERNELS.leakyReluBackward(x, slope, dy, out, n);
      const { heap, offsets } = workspace.layout([n, n]);
      const [xAt, dyAt] = offsets as [number, number];
      heap.set(x.subarray(0, n), xAt);
      heap.set(dy.subarray(0, n), dyAt);
      wasm.leakyReluBackward(xAt * 4, slope, dyAt * 4, dyAt * 4, n);
      out.set(heap.subarray(dyAt, dyAt + n));
    },

    add: binaryOp(ADD, JS_KERNELS.add),
    sub: binaryOp(SUB, JS_KERNELS.sub),
    mul: binaryOp(MUL, JS_KERNELS.mul),

    scale(a, s, out, n) {
      if (is64(a)) return JS_KERNELS.scale(a, s, out, n);
      const { heap, offsets } = workspace.layout([n]);
      const [aAt] = offsets as [number];
      heap.set(a.subarray(0, n), aAt);
      wasm.scale(aAt * 4, s, aAt * 4, n);
      out.set(heap.subarray(aAt, aAt + n));
    },

    axpy(alpha, x, y, n) {
      if (is64(x)) return JS_KERNELS.axpy(alpha, x, y, n);
      const { heap, offsets } = workspace.layout([n, n]);
      const [xAt, yAt] = offsets as [number, number];
      heap.set(x.subarray(0, n), xAt);
      heap.set(y.subarray(0, n), yAt);
      wasm.axpy(alpha, xAt * 4, yAt * 4, n);
      y.set(heap.subarray(yAt, yAt + n));
    },
  };
}
