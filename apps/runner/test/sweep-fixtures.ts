import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A tiny MNIST subset run: 2,400 training and 600 validation images, a 784-16-10 MLP, 4 epochs. */
export const SWEEP_BASE = `name: tiny-mnist
seed: 1
data:
  train: { type: mnist, split: train, take: 3000 }
  validation: { fromTrain: 0.2 }
  preprocess: [{ type: scale, divisor: 255 }]
model:
  input: [784]
  layers:
    - { type: dense, units: 16 }
    - relu
    - { type: dense, units: 10 }
loss: softmax-cross-entropy
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: { epochs: 4, batchSize: 32 }
`;

/** Six trials (3 learning rates x 2 seeds) with ASHA, whose decisions must not depend on timing. */
export const SWEEP_FILE = `name: tiny-sweep
base: base.yaml
method: grid
metric: { name: validation.accuracy }
concurrency: 2
parameters:
  schedule.learningRate: { values: [0.01, 0.1, 0.3] }
  seed: { values: [1, 2] }
earlyTermination: { type: asha, minEpochs: 1, reductionFactor: 3 }
`;

export async function writeSweep(cwd: string): Promise<void> {
  await writeFile(join(cwd, 'base.yaml'), SWEEP_BASE);
  await writeFile(join(cwd, 'sweep.yaml'), SWEEP_FILE);
}

export interface TrialOutcome {
  readonly id: string;
  readonly status: string;
  readonly parameters: Record<string, unknown>;
  readonly curve: number[];
  readonly prunedAt?: number;
  readonly attempts: number;
}

/** Each trial's figures from sweep.json, without timings: what two runs of a sweep must share. */
export async function sweepOutcome(dir: string): Promise<TrialOutcome[]> {
  const record = JSON.parse(await readFile(join(dir, 'sweep.json'), 'utf8')) as { trials: TrialOutcome[] };
  return record.trials.map(({ id, status, parameters, curve, prunedAt, attempts }) => ({ id, status, parameters, curve, ...(prunedAt === undefined ? {} : { prunedAt }), attempts }));
}

/** The outcome without the attempt counts, which differ when a trial had to start again. */
export const withoutAttempts = (trials: readonly TrialOutcome[]): Omit<TrialOutcome, 'attempts'>[] => trials.map(({ attempts: _attempts, ...rest }) => rest);
