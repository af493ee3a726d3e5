import { describe, expect, it } from 'vitest';
import type { EpochEvent } from '../output/events.js';
import { trainingWarnings } from './training-warnings.js';

const epoch = (n: number, loss: number, accuracy: number): EpochEvent =>
  ({ event: 'epoch', epoch: n, epochs: 5, train: { loss, accuracy }, learningRate: 0.1, samplesPerSecond: 1, seconds: 1 }) as EpochEvent;

describe('trainingWarnings', () => {
  it('warns once when the training loss grows past 10x its first epoch', () => {
    const said = new Set<string>();
    expect(trainingWarnings([epoch(1, 0.5, 0.8), epoch(2, 4.9, 0.6)], 10, 100, said)).toEqual([]);
    const [warning] = trainingWarnings([epoch(1, 0.5, 0.8), epoch(2, 4.9, 0.6), epoch(3, 5.1, 0.4)], 10, 100, said);
    expect(warning).toMatch(/^the training loss has grown from 0\.5000 \(epoch 1\) to 5\.100 \(epoch 3\)/);
    expect(trainingWarnings([epoch(1, 0.5, 0.8), epoch(4, 9, 0.1)], 10, 100, said)).toEqual([]);
  });

  it('warns when accuracy is at chance after the first epoch, not when something was learnt', () => {
    expect(trainingWarnings([epoch(1, 2.3, 0.101)], 10, 100, new Set())[0]).toMatch(/^after epoch 1 the training accuracy is 10\.1%, chance for 10 classes/);
    expect(trainingWarnings([epoch(1, 1.9, 0.35)], 10, 100, new Set())).toEqual([]);
    // One step is too few to expect anything.
    expect(trainingWarnings([epoch(1, 2.3, 0.101)], 10, 1, new Set())).toEqual([]);
    expect(trainingWarnings([], 10, 100, new Set())).toEqual([]);
  });
});
