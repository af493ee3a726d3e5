import { createBatcher } from '@scratchnet/train';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../config/load-config.js';
import { prepareRun, type PreparedRun } from './prepare-run.js';

// Checklist R2: the experiment seed must reach every stream prepareRun forks from it. The embedded
// sklearn digits need no files; a validation split makes the split stream matter too.
const config = (seed: number): string => `name: seeds
seed: ${seed}
data:
  train: { type: sklearn-digits-json, take: 200 }
  validation: { fromTrain: 0.2 }
  preprocess: [{ type: scale, divisor: 16 }]
model:
  input: [64]
  layers: [{ type: dense, units: 8 }, relu, { type: dense, units: 10 }]
loss: softmax-cross-entropy
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: { epochs: 1, batchSize: 16, backend: js }
`;

async function prepare(seed: number): Promise<PreparedRun> {
  const loaded = await loadExperiment({ text: config(seed), displayName: 'x.yaml', configDir: process.cwd(), overrides: [] });
  return prepareRun(loaded, undefined);
}

/** What one seed decides: initial weights, the held-out split and the first epoch's batches. */
async function seeded(seed: number) {
  const run = await prepare(seed);
  const weights = run.network.parameters.map((p) => Array.from(p.value.data));
  const train = run.data.train;
  // The batcher fit draws from, on the stream prepareRun hands to fit.
  const batcher = createBatcher(train, { batchSize: 16, shuffle: true, lastBatch: 'keep', rng: run.dataRng });
  batcher.startEpoch();
  const batches: number[][] = [];
  for (let b = 0; b < batcher.batchesPerEpoch; b++) {
    const batch = batcher.batch(b);
    // Each sample's image sum identifies it well enough to tell two orders apart.
    const images = Array.from(batch.images.data);
    batches.push(Array.from({ length: batch.size }, (_, i) => images.slice(i * 64, (i + 1) * 64).reduce((a, v) => a + v, 0)));
  }
  await run.network.backend.dispose();
  return { weights, trainImages: Array.from(train.images), batches, count: train.count };
}

describe('prepareRun seeds', () => {
  it('repeats initial weights, validation split and batch order for the same seed, and changes all three for another', async () => {
    const first = await seeded(7);
    const again = await seeded(7);
    const other = await seeded(8);
    expect(first.count).toBe(160);
    expect(again).toEqual(first);

    expect(other.weights).not.toEqual(first.weights);
    // The split stream: another 40 samples held out.
    expect(other.trainImages).not.toEqual(first.trainImages);
    // The data stream (isolated from the split in the next test).
    expect(other.batches).not.toEqual(first.batches);
  });

  it('draws the batch order from the experiment seed, not only from the split it leaves', async () => {
    // Same split (no validation), different seeds: only the data stream can change the order.
    const order = async (seed: number): Promise<number[]> => {
      const text = config(seed).replace('  validation: { fromTrain: 0.2 }\n', '');
      const run = await prepareRun(await loadExperiment({ text, displayName: 'x.yaml', configDir: process.cwd(), overrides: [] }), undefined);
      const batcher = createBatcher(run.data.train, { batchSize: 200, shuffle: true, rng: run.dataRng });
      batcher.startEpoch();
      const labels = Array.from(batcher.batch(0).labels);
      await run.network.backend.dispose();
      return labels;
    };
    const [a, b] = [await order(7), await order(8)];
    expect(a.length).toBe(200);
    expect([...a].sort()).toEqual([...b].sort());
    expect(b).not.toEqual(a);
    expect(await order(7)).toEqual(a);
  });
});
