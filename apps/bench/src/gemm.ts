import { type Backend, createRng } from '@scratchnet/tensor';
import { type Summary, summarise } from './stats.js';

export const GEMM_SIZES = [128, 256, 512, 1024] as const;

/** One way to multiply two n×n float32 matrices held in JS arrays. */
export interface GemmContestant {
  readonly name: string;
  /** Prepares operands for n and returns the multiply to time (result fully computed on return). */
  prepare(n: number, a: Float32Array, b: Float32Array): () => void;
  dispose?(): void;
}

export function backendContestant(name: string, backend: Backend): GemmContestant {
  return {
    name,
    prepare(n, a, b) {
      // Operands where training keeps its weights and activations (backend.zeros: wasm memory
      // for the wasm backend), so the multiply is timed without copies, as for TF.js tensors.
      const ta = backend.zeros([n, n]);
      const tb = backend.zeros([n, n]);
      ta.data.set(a);
      tb.data.set(b);
      const out = backend.zeros([n, n]);
      return () => backend.matmul(ta, tb, {}, out);
    },
  };
}

export interface GemmResult {
  readonly contestant: string;
  readonly n: number;
  /** GFLOP/s (2n³ flops per multiply) per repetition. */
  readonly gflops: Summary;
}

/**
 * GFLOP/s of C = A·B for each size: one warm-up repetition, then `repetitions` timed ones, each
 * repeating the multiply until at least `minSeconds` have passed.
 */
export function measureGemm(contestant: GemmContestant, sizes: readonly number[], repetitions: number, minSeconds: number): GemmResult[] {
  const rng = createRng(7);
  return sizes.map((n) => {
    const a = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
    const b = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
    const multiply = contestant.prepare(n, a, b);
    const flops = 2 * n ** 3;
    const repetition = (): number => {
      let calls = 0;
      const started = performance.now();
      let elapsed = 0;
      do {
        multiply();
        calls++;
        elapsed = (performance.now() - started) / 1000;
      } while (elapsed < minSeconds);
      return (calls * flops) / elapsed / 1e9;
    };
    repetition();
    const values = Array.from({ length: repetitions }, repetition);
    return { contestant: contestant.name, n, gflops: summarise(values) };
  });
}
