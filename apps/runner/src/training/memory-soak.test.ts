import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../config/load-config.js';
import type { BatchProgress, Reporter, RunEvent } from '../output/events.js';
import { runPaths } from '../run-dir/run-dir.js';
import { prepareRun } from './prepare-run.js';
import { runTraining } from './run-training.js';

// Checklist P5: a long run must not grow per epoch (tf.js-style leaked tensors, listeners or
// buffers kept per epoch). 50 epochs of the embedded sklearn digits through the runner's own
// training loop, checkpoints and metrics included; memory is read after a full collection.
const CONFIG = `name: soak
seed: 5
data:
  train: { type: sklearn-digits-json, take: 1500 }
  test: { type: sklearn-digits-json, skip: 1500 }
  preprocess: [{ type: scale, divisor: 16 }]
model:
  input: [64]
  layers: [{ type: dense, units: 32 }, relu, { type: dense, units: 10 }]
loss: softmax-cross-entropy
optimiser: { type: sgd, momentum: 0.9 }
schedule: { type: fixed, learningRate: 0.05 }
training: { epochs: 50, batchSize: 32, threads: 1 }
`;
const WARM_UP_EPOCHS = 5;

/** global.gc without starting Node with --expose-gc: the flag takes effect for new contexts. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('memory over a long run', () => {
  it('grows heap and RSS by less than 10% from epoch 5 to epoch 50', async () => {
    const gc = collector();
    const dir = await mkdtemp(join(tmpdir(), 'runner-soak-'));
    dirs.push(dir);
    const loaded = await loadExperiment({ text: CONFIG, displayName: 'soak.yaml', configDir: dir, overrides: [] });
    const run = await prepareRun(loaded, undefined);
    const samples: { epoch: number; heap: number; rss: number }[] = [];
    const reporter: Reporter = {
      emit(event: RunEvent) {
        if (event.event !== 'epoch') return;
        gc();
        const { heapUsed, rss } = process.memoryUsage();
        samples.push({ epoch: event.epoch, heap: heapUsed, rss });
      },
      progress: (_progress: BatchProgress) => undefined,
      note: () => undefined,
      result: () => undefined,
    };
    const outcome = await runTraining(run, runPaths(join(dir, 'run')), reporter, {
      signal: new AbortController().signal,
      previousEpochs: [],
      startedAt: performance.now(),
    });
    await run.network.backend.dispose();

    expect(outcome.status).toBe('completed');
    expect(samples.map((s) => s.epoch)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const base = samples[WARM_UP_EPOCHS - 1]!;
    const later = samples.slice(WARM_UP_EPOCHS);
    const growth = (pick: (s: (typeof samples)[number]) => number) => Math.max(...later.map(pick)) / pick(base) - 1;
    expect(growth((s) => s.heap), 'heap growth after warm-up').toBeLessThan(0.1);
    expect(growth((s) => s.rss), 'RSS growth after warm-up').toBeLessThan(0.1);
  });
});
