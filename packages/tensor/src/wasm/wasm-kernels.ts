import { JS_KERNELS, type KernelTable } from '../kernels.js';
import type { FloatArray } from '../tensor.js';
import type { KernelExports } from './kernels.js';
import { Staging } from './operands.js';
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
 * The kernel table of the wasm backend: the hot float32 kernels run in the module's memory with
 * SIMD, on resident operands in place and on others through copies (src/wasm/operands.ts);
 * float64 operands (gradient checks) and the kernels not worth a round trip (sigmoid, tanh,
 * softmax on [batch, classes], argmax, reductions) use the JS reference kernels, which work on
 * resident tensors directly since those are ordinary Float32Arrays.
 */
export function wasmKernelTable(workspace: Workspace, engine: GemmEngine = singleThreadGemm(workspace.kernels)): KernelTable {
  const wasm = workspace.kernels;
  const staging = new Staging(workspace);

  const binaryOp = (op: number, fallback: KernelTable['add']): KernelTable['add'] => (a, b, out, n) => {
    if (is64(a)) return fallback(a, b, out, n);
    const s = staging.begin();
    wasm.binary(op, s.read(a, n), s.read(b, n), s.write(out, n), n);
    s.finish();
  };

  return {
    ...JS_KERNELS,

    matmul(a, b, c, m, n, k, transposeA, transposeB, accumulate) {
      if (is64(c)) return JS_KERNELS.matmul(a, b, c, m, n, k, transposeA, transposeB, accumulate);
      const s = staging.begin();
      const call: GemmCall = {
        a: s.read(a, a.length),
        lda: transposeA ? m : k,
        b: s.read(b, b.length),
        ldb: transposeB ? k : n,
        c: accumulate ? s.update(c, m * n) : s.write(c, m * n),
        ldc: n,
        m,
        n,
        k,
        transA: transposeA,
        transB: transposeB,
        accumulate,
      };
      // Scratch per thread rounded to whole cache lines, so threads never share one.
      const scratchFloats = Math.ceil(wasm.gemmScratchFloats(m, n, k) / 16) * 16;
      engine.run(call, s.scratch(scratchFloats * engine.threads), scratchFloats * 4);
      s.finish();
    },

    addRowVector(x, bias, out, rows, columns) {
      if (is64(x)) return JS_KERNELS.addRowVector(x, bias, out, rows, columns);
      const s = staging.begin();
      const n = rows * columns;
      wasm.addRowVector(s.read(x, n), s.read(bias, columns), s.write(out, n), rows, columns);
      s.finish();
    },

    sumRows(x, out, rows, columns) {
      if (is64(x)) return JS_KERNELS.sumRows(x, out, rows, columns);
      const s = staging.begin();
      wasm.sumRows(s.read(x, rows * columns), s.write(out, columns), rows, columns);
      s.finish();
    },

    leakyRelu(x, slope, out, n) {
      if (is64(x)) return JS_KERNELS.leakyRelu(x, slope, out, n);
      const s = staging.begin();
      wasm.leakyRelu(s.read(x, n), slope, s.write(out, n), n);
      s.finish();
    },

    leakyReluBackward(x, slope, dy, out, n) {
      if (is64(x)) return JS_KERNELS.leakyReluBackward(x, slope, dy, out, n);
      const s = staging.begin();
      wasm.leakyReluBackward(s.read(x, n), slope, s.read(dy, n), s.write(out, n), n);
      s.finish();
    },

    add: binaryOp(ADD, JS_KERNELS.add),
    sub: binaryOp(SUB, JS_KERNELS.sub),
    mul: binaryOp(MUL, JS_KERNELS.mul),

    scale(a, s, out, n) {
      if (is64(a)) return JS_KERNELS.scale(a, s, out, n);
      const st = staging.begin();
      wasm.scale(st.read(a, n), s, st.write(out, n), n);
      st.finish();
    },

    axpy(alpha, x, y, n) {
      if (is64(x)) return JS_KERNELS.axpy(alpha, x, y, n);
      const s = staging.begin();
      wasm.axpy(alpha, s.read(x, n), s.update(y, n), n);
      s.finish();
    },

    sgdStep(w, grad, velocity, n, learningRate, momentum, decay, nesterov) {
      if (is64(w)) return JS_KERNELS.sgdStep(w, grad, velocity, n, learningRate, momentum, decay, nesterov);
      const s = staging.begin();
      const v = velocity === undefined ? 0 : s.update(velocity, n);
      wasm.sgdStep(s.update(w, n), s.read(grad, n), v, n, learningRate, momentum, decay, flag(nesterov));
      s.finish();
    },
  };
}
