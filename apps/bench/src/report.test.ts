import { describe, expect, it } from 'vitest';
import type { GemmResult } from './gemm.js';
import { type RecipeResult, fastest, reference, renderMarkdown } from './report.js';
import { evaluateTargets } from './targets.js';
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

describe('fastest', () => {
  it('is the fastest measured entry with the prefix (PyTorch at its better thread count)', () => {
    const entries = [entry('pytorch (1 thread)', 'peer', 900, 0.98), entry('pytorch (2 threads)', 'peer', 700, 0.98), entry('tfjs cpu', 'peer', 50)];
    expect(fastest(entries, 'pytorch')?.contestant).toBe('pytorch (1 thread)');
    expect(fastest(entries, 'numpy')).toBeUndefined();
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
    expect(byName['mlp-small: scratchnet >= 1.3x the best of numpy and PyTorch (best thread count)']).toMatchObject({
      measured: '1.20x (w2 vs numpy (OpenBLAS default threads))',
      met: false,
    });
    expect(byName['mlp-small: scratchnet >= 25x TF.js']).toMatchObject({ measured: '30x (w2 vs tfjs wasm)', met: true });
    expect(byName['mlp-wide: scratchnet >= 0.5x the best of numpy and PyTorch (best thread count)']?.met).toBe('not measured');
    expect(byName['tutorial 3 end to end: 10 epochs of training under 4 s on every core']).toMatchObject({ measured: 'not run', met: 'not measured' });
    expect(byName['GEMM n=512 on one thread >= 17 GFLOP/s']?.met).toBe(true);
    expect(byName['GEMM n=512 on two threads >= 1.7x one thread']).toMatchObject({ measured: '1.50x (30.0 GFLOP/s, w2)', met: false });
    expect(byName['mlp-small: accuracy within 0.3 points of numpy (OpenBLAS default threads)']).toMatchObject({ met: false });
    expect(byName['mlp-small: accuracy within 1 point of tfjs wasm']).toMatchObject({ met: true });
    expect(byName['mlp-small: threads give the same model as one thread (test accuracy per seed)']?.met).toBe(true);
  });

  it('compares accuracy with PyTorch and numpy over seeds when the accuracy section ran, and with TF.js per row', () => {
    const training: RecipeResult[] = [
      { recipe: 'mlp-small', entries: [entry('w2', 'scratchnet', 120_000, 0.925), entry('numpy (1 thread)', 'peer', 100_000, 0.94), entry('tfjs wasm', 'peer', 4_000, 0.92)] },
    ];
    const seeded = { recipe: 'mlp-small', samples: [{ contestant: 'scratchnet w2', accuracies: [0.93, 0.932] }, { contestant: 'numpy (1 thread)', accuracies: [0.931, 0.933] }] };
    const names = evaluateTargets([], training, 'w1', 'w2', undefined, [seeded]).map((t) => t.target);
    expect(names).toContain('mlp-small: accuracy within 1 point of tfjs wasm');
    expect(names).toContain('mlp-small: mean one-epoch accuracy within 0.3 points of numpy (1 thread) (over seeds)');
    expect(names).not.toContain('mlp-small: accuracy within 0.3 points of numpy (1 thread)');
    // --only accuracy: no timed rows, the seeded targets all the same.
    const alone = evaluateTargets([], [], 'w1', 'w2', undefined, [seeded]).find((t) => t.target.includes('over seeds'));
    expect(alone).toMatchObject({ met: true });
  });

  it('evaluates lenet5 against PyTorch at its better thread count, TF.js cpu, and within 0.3 points', () => {
    const training: RecipeResult[] = [
      {
        recipe: 'lenet5',
        entries: [
          entry('w2', 'scratchnet', 1_000, 0.985),
          entry('pytorch (1 thread)', 'peer', 800, 0.983),
          entry('pytorch (2 threads)', 'peer', 1_250, 0.979),
          { contestant: 'tfjs wasm', kind: 'peer', method: 'model.fit', unavailable: 'cannot train it' },
          entry('tfjs cpu', 'peer', 50),
        ],
      },
    ];
    const byName = Object.fromEntries(evaluateTargets([], training, 'w1', 'w2').map((t) => [t.target, t]));
    expect(byName['lenet5: scratchnet >= 1.2x PyTorch (better thread count)']).toMatchObject({ measured: '0.80x (w2 vs pytorch (2 threads))', met: false });
    expect(byName['lenet5: scratchnet >= 25x TF.js cpu']).toMatchObject({ measured: '20x (w2 vs tfjs cpu)', met: false });
    expect(byName['lenet5: accuracy within 0.3 points of pytorch (1 thread)']?.met).toBe(true);
    expect(byName['lenet5: accuracy within 0.3 points of pytorch (2 threads)']?.met).toBe(false);
  });

  it('reports why when scratchnet cannot build the recipe, and the report still renders', () => {
    const why = 'the registry rejects the recipe: model.layers[0].type: unknown layer type "conv2d"';
    const training: RecipeResult[] = [
      {
        recipe: 'lenet5',
        entries: [{ contestant: 'scratchnet', kind: 'scratchnet', method: 'fit', unavailable: why }, entry('pytorch (1 thread)', 'peer', 800, 0.982)],
        findings: ["lenet5: TF.js's wasm backend cannot train it"],
      },
    ];
    const targets = evaluateTargets([], training, 'w1', 'w2');
    const byName = Object.fromEntries(targets.map((t) => [t.target, t]));
    expect(byName['lenet5: scratchnet >= 1.2x PyTorch (better thread count)']).toMatchObject({ measured: `scratchnet not run: ${why}`, met: 'not measured' });
    expect(byName['lenet5: accuracy within 0.3 points of pytorch (1 thread)']?.met).toBe('not measured');
    const machine = { cpu: 'x', cores: 2, memoryGiB: 1, node: 'v20', v8: '11', platform: 'linux x64', date: 'today' };
    const markdown = renderMarkdown({
      machine: { ...machine, wasm: { webAssembly: true, simd: true, relaxedSimd: false, relaxedSimdVia: 'off' }, loadAverage: { start: 0 } },
      gemm: [],
      training,
      targets,
      seconds: 1,
    });
    expect(markdown).toContain(`| lenet5 | scratchnet | not run | — | — | ${why} |`);
    expect(markdown).toContain("- lenet5: TF.js's wasm backend cannot train it");
    expect(markdown).toContain('| lenet5 | — | — | — | — |');
  });
});
