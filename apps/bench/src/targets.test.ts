import { describe, expect, it } from 'vitest';
import { summarise } from './stats.js';
import { evaluateTargets, mlpTrainingFlops, wideStepEfficiency } from './targets.js';
import { fastestOf } from './fastest.js';
import type { TrainingEntry } from './training.js';
import { type TutorialResult, renderTutorial } from './tutorial-run.js';

const entry = (contestant: string, kind: TrainingEntry['kind'], speed: number, accuracy?: number): TrainingEntry => ({
  contestant,
  kind,
  samplesPerSecond: summarise([speed]),
  ...(accuracy === undefined ? {} : { testAccuracy: accuracy }),
  method: 'test',
});

// Fifteen epochs of equal length: the first ten take two thirds of the training time.
const tutorial = (seconds: number[], epochs = 15): TutorialResult => ({
  config: 'configs/mnist-relu-softmax.yaml',
  runs: seconds.map((s) => ({ trainingSeconds: s, targetEpochsSeconds: (s * Math.min(epochs, 10)) / epochs, wholeSeconds: s + 2, testAccuracy: 0.9712, epochs, samples: epochs * 60_000 })),
  trainingSeconds: summarise(seconds),
  targetEpochsSeconds: summarise(seconds.map((s) => (s * Math.min(epochs, 10)) / epochs)),
  wholeSeconds: summarise(seconds.map((s) => s + 2)),
  peer: { contestant: 'pytorch (1 thread)', seconds: 900_000 / 225_000 },
});

describe('fastestOf', () => {
  it('is the fastest row of any of the peers, whatever its thread count', () => {
    const entries = [entry('numpy (1 thread)', 'peer', 340_000), entry('pytorch (1 thread)', 'peer', 225_000), entry('tfjs wasm', 'peer', 900_000)];
    expect(fastestOf(entries, ['numpy', 'pytorch'])?.contestant).toBe('numpy (1 thread)');
    expect(fastestOf(entries, ['pytorch'])?.contestant).toBe('pytorch (1 thread)');
    expect(fastestOf(entries, ['torch'])).toBeUndefined();
  });
});

describe('mlpTrainingFlops', () => {
  it('counts two products for the first layer (no input gradient) and three for the others', () => {
    expect(mlpTrainingFlops([784, 30, 60, 10])).toBe(2 * 2 * 784 * 30 + 3 * 2 * 30 * 60 + 3 * 2 * 60 * 10);
  });
});

describe('the tutorial target', () => {
  it('is met when the first 10 epochs train in under 4 s, and reports all the epochs too', () => {
    const find = (result: TutorialResult) => evaluateTargets([], [], 'w1', 'w2', result).find((t) => t.target.startsWith('tutorial 3'));
    expect(find(tutorial([5.1, 5.7, 5.4]))).toMatchObject({ measured: '3.6 s (its first 10 of 15 epochs; all 15: 5.4 s)', met: true });
    expect(find(tutorial([6.6, 6.3, 7.0]))).toMatchObject({ measured: '4.4 s (its first 10 of 15 epochs; all 15: 6.6 s)', met: false });
    // Fewer epochs than the target's ten cannot meet it.
    expect(find(tutorial([1.5, 1.6, 1.7], 5))).toMatchObject({ measured: '1.6 s (its first 5 of 5 epochs; all 5: 1.6 s)', met: 'not measured' });
  });

  it('renders the runs, the peer for the same samples and the ratio', () => {
    const lines = renderTutorial(tutorial([3.3, 4.2, 3.6])).join('\n');
    expect(lines).toContain('15 epochs of 60,000 samples');
    expect(lines).toContain('| 3.6 s [3.3–4.2] | 2.4 s [2.2–2.8] | 5.6 s [5.3–6.2] | 97.12% | 4.0 s (pytorch (1 thread) at its mlp-small rate) | 1.11x |');
  });
});

describe('wideStepEfficiency', () => {
  it('relates the step rate to twice the one-core GEMM rate', () => {
    const training = [{ recipe: 'mlp-wide', entries: [entry('w2', 'scratchnet', 20_000, 0.96)] }];
    const gemm = [{ contestant: 'w1', n: 512, gflops: summarise([50]) }];
    const widths = [784, 512, 256, 10];
    const gflops = (20_000 * mlpTrainingFlops(widths)) / 1e9;
    const line = wideStepEfficiency(gemm, training, 'w1', widths);
    expect(line).toContain(`runs at ${gflops.toFixed(1)} GFLOP/s`);
    expect(line).toContain(`${Math.round(gflops)}% of twice the one-core GEMM rate`);
    expect(wideStepEfficiency([], training, 'w1', widths)).toBeUndefined();
  });
});
