import { describe, expect, it } from 'vitest';
import type { GemmResult } from './gemm.js';
import { type RecipeResult, evaluateTargets, reference } from './report.js';
import { summarise } from './stats.js';
import type { TrainingEntry } from './training.js';

const entry = (contestant: string, kind: TrainingEntry['kind'], speed: number, accuracy?: number, details?: unknown): TrainingEntry => ({
  contestant,
  kind,
  samplesPerSecond: summarise([speed]),
  ...(accuracy === undefined ? {} : { testAccuracy: accuracy }),
  method: 'test',
  details,
});

const gemm = (contestant: string, n: number, gflops: number): GemmResult => ({ contestant, n, gflops: summarise([gflops]) });

describe('reference', () => {
  it('is the fastest scratchnet entry that trained a full epoch', () => {
    const entries = [entry('one', 'scratchnet', 100, 0.9), entry('two', 'scratchnet', 150, 0.9), entry('sub', 'scratchnet', 999), entry('peer', 'peer', 500, 0.9)];
    expect(reference(entries)?.contestant).toBe('two');
  });
});

describe('evaluateTargets', () => {
  it('computes ratios, GEMM thresholds, accuracy gaps and thread determinism', () => {
    const runs = [{ testAccuracy: 0.92 }, { testAccuracy: 0.93 }];
    const training: RecipeResult[] = [
      {
        recipe: 'mlp-small',
        entries: [
          entry('w1', 'scratchnet', 100_000, 0.925, runs),
          entry('w2', 'scratchnet', 120_000, 0.925, runs),
          entry('numpy (OpenBLAS default threads)', 'peer', 100_000, 0.94),
          entry('tfjs wasm', 'peer', 4_000, 0.92),
        ],
      },
    ];
    const targets = evaluateTargets([gemm('w1', 512, 20), gemm('w2', 512, 30)], training, 'w1', 'w2');
    const byName = Object.fromEntries(targets.map((t) => [t.target, t]));
    expect(byName['mlp-small: scratchnet >= 1x numpy (OpenBLAS default threads)']).toMatchObject({ measured: '1.20x (w2 vs numpy (OpenBLAS default threads))', met: true });
    expect(byName['mlp-small: scratchnet >= 25x tfjs wasm']).toMatchObject({ measured: '30x (w2 vs tfjs wasm)', met: true });
    expect(byName['mlp-wide: scratchnet >= 0.5x numpy (OpenBLAS default threads)']?.met).toBe('not measured');
    expect(byName['GEMM n=512 on one thread >= 17 GFLOP/s']?.met).toBe(true);
    expect(byName['GEMM n=512 on two threads >= 1.7x one thread']).toMatchObject({ measured: '1.50x (30.0 GFLOP/s, w2)', met: false });
    expect(byName['mlp-small: accuracy within 1 point of numpy (OpenBLAS default threads)']).toMatchObject({ met: false });
    expect(byName['mlp-small: accuracy within 1 point of tfjs wasm']).toMatchObject({ met: true });
    expect(byName['mlp-small: threads give the same model as one thread (test accuracy per seed)']?.met).toBe(true);
  });
});
