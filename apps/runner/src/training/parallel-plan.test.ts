import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../config/load-config.js';
import { ConfigIssuesError } from '../config/issues.js';
import { prepareRun } from './prepare-run.js';

const config = (layers: string, training: string): string => `name: plan
data:
  train: { type: sklearn-digits-json, take: 100 }
  preprocess: [{ type: scale, divisor: 16 }]
model:
  input: [64]
  layers: ${layers}
loss: softmax-cross-entropy
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: ${training}
`;
// 16-sample shards of 2 x 64 x 2000 + 2 x 2000 x 10 flops each: 4.7 MFLOP of work per shard.
const mlp = '[{ type: dense, units: 2000 }, relu, { type: dense, units: 10 }]';
const withDropout = '[{ type: dense, units: 8 }, { type: dropout, rate: 0.2 }, { type: dense, units: 10 }]';

async function plan(layers: string, training: string): Promise<unknown> {
  const loaded = await loadExperiment({ text: config(layers, training), displayName: 'x.yaml', configDir: process.cwd(), overrides: [] });
  const run = await prepareRun(loaded, undefined);
  await run.network.backend.dispose();
  return { ...run.parallel, backendThreads: run.network.backend.threads };
}

describe('training.parallelism', () => {
  it('auto trains a small wasm MLP data-parallel, leaving the backend on one thread', async () => {
    expect(await plan(mlp, '{ epochs: 1, batchSize: 32, backend: wasm, threads: 2 }')).toEqual({ mode: 'data', threads: 2, shards: 2, backendThreads: 1 });
  });

  it('auto keeps the split on the js backend, for small shards and for models with dropout; split is never data-parallel', async () => {
    expect(await plan(mlp, '{ epochs: 1, batchSize: 32, backend: js, threads: 2 }')).toMatchObject({ mode: 'split' });
    expect(await plan(mlp, '{ epochs: 1, batchSize: 8, backend: wasm, threads: 2 }')).toMatchObject({ mode: 'split' });
    expect(await plan(withDropout, '{ epochs: 1, batchSize: 16, backend: wasm, threads: 2 }')).toMatchObject({ mode: 'split', backendThreads: 2 });
    expect(await plan(mlp, '{ epochs: 1, batchSize: 32, backend: wasm, threads: 2, parallelism: split }')).toMatchObject({ mode: 'split' });
  });

  it('data on a model with dropout is a config error located at training.parallelism', async () => {
    const error = await plan(withDropout, '{ epochs: 1, batchSize: 16, parallelism: data }').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigIssuesError);
    // Line 11, where parallelism is set.
    expect((error as Error).message).toContain(
      'x.yaml:11:39 training.parallelism: is data, but model.layers[1] (dropout) depends on the whole batch or draws random numbers in training. Use parallelism: auto or split for this model.',
    );
  });
});
