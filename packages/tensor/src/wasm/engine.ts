import type { KernelExports } from './kernels.js';

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

/**
 * Where the wasm kernels run: the calling thread alone, or it and worker threads sharing the
 * module's memory (src/wasm/threads.node.ts). Either way results do not depend on `threads`.
 */
export interface ParallelEngine {
  readonly threads: number;
  /** Runs one GEMM (split across threads when large); each thread gets `scratchBytes` of scratch from `scratch`. */
  gemm(call: GemmCall, scratch: number, scratchBytes: number): void;
  /**
   * Whether `gemm` splits an [m, n] by k product across threads, so a fused kernel can run its
   * small products itself and leave the large ones to `gemm`.
   */
  splits(m: number, n: number, k: number): boolean;
  /**
   * Calls the module's export `name` once per argument list (integers only: pointers and sizes),
   * at most `threads` lists, list 0 on the calling thread and the others on workers, and returns
   * when all have finished. The lists must touch disjoint output memory.
   */
  parallel(name: string, argLists: readonly (readonly number[])[]): void;
}

const flag = (value: boolean): number => (value ? 1 : 0);

/** Runs `g` with the module's gemm on the calling thread. */
export function runGemm(wasm: KernelExports, g: GemmCall, scratch: number): void {
  wasm.gemm(g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.m, g.n, g.k, flag(g.transA), flag(g.transB), flag(g.accumulate), scratch);
}

/** Everything on the calling thread. */
export function singleThreadEngine(wasm: KernelExports): ParallelEngine {
  const table = wasm as unknown as Record<string, (...args: number[]) => void>;
  return {
    threads: 1,
    gemm: (g, scratch) => runGemm(wasm, g, scratch),
    splits: () => false,
    parallel(name, argLists) {
      const fn = table[name]!;
      for (const args of argLists) fn(...args);
    },
  };
}
