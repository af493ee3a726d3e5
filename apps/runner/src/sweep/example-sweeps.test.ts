import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSweepFile } from './load-sweep.js';
import { trialSets } from './trial-args.js';

const configs = fileURLToPath(new URL('../../../../configs/sweeps/', import.meta.url));

describe('the example sweeps in configs/sweeps', () => {
  it('digits32-init-comparison: six initialisers x three seeds, each set on all three dense layers', async () => {
    const sweep = await loadSweepFile('digits32-init-comparison.yaml', configs);
    expect(sweep.trials).toHaveLength(18);
    expect(sweep.base.experiment.name).toBe('digits32-sigmoid-sse');
    expect(new Set(sweep.trials.map((t) => JSON.stringify(t.parameters['weightInit'])))).toEqual(
      new Set(['"zeros"', '{"type":"normal","std":1}', '{"type":"normal","std":0.01}', '"scaled-normal"', '"xavier-normal"', '"he-normal"']),
    );
    expect(trialSets(sweep.spec.parameters, sweep.trials[3]!)).toEqual([
      'model.layers[0].weightInit={"type":"normal","std":1}',
      'model.layers[2].weightInit={"type":"normal","std":1}',
      'model.layers[4].weightInit={"type":"normal","std":1}',
      'seed=1',
    ]);
  });

  it('mnist-random-search: 24 seeded draws on tutorial 3 with ASHA and a validation split', async () => {
    const sweep = await loadSweepFile('mnist-random-search.yaml', configs);
    expect(sweep.trials).toHaveLength(24);
    expect(sweep.spec.earlyTermination).toEqual({ type: 'asha', minEpochs: 1, reductionFactor: 3 });
    for (const trial of sweep.trials) {
      const lr = trial.parameters['schedule.learningRate'] as number;
      expect(lr).toBeGreaterThanOrEqual(0.001);
      expect(lr).toBeLessThan(0.3);
      expect(trial.parameters['data.validation']).toEqual({ fromTrain: 0.1 });
    }
    const again = await loadSweepFile('mnist-random-search.yaml', configs);
    expect(again.trials).toEqual(sweep.trials);
  });
});
