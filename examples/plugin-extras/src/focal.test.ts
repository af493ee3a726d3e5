import { ConfigError } from '@scratchnet/spec';
import { Tensor, createJsBackend } from '@scratchnet/tensor';
import { checkLossGradients, optionsWithDefaults } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { focal } from './focal.js';

const create = (gamma: number) => focal.create(optionsWithDefaults(focal, { gamma }), { backend: createJsBackend() });

describe('focal', () => {
  it('is -(1 - p)^gamma log p of the true class, averaged over the batch', () => {
    // Row 0: logits (ln 3, 0) -> p = (3/4, 1/4); row 1: (0, 0) -> p = (1/2, 1/2).
    const logits = Tensor.from([2, 2], [Math.log(3), 0, 0, 0], 'float64');
    const { loss } = create(2).forward(logits, [0, 1]);
    const expected = (-(0.25 ** 2) * Math.log(0.75) - 0.5 ** 2 * Math.log(0.5)) / 2;
    expect(loss).toBeCloseTo(expected, 14);
  });

  it('equals softmax cross-entropy, gradient included, for gamma = 0', () => {
    const logits = Tensor.from([1, 3], [0.5, -1, 2], 'float64');
    const result = create(0).forward(logits, [1]);
    const p = [...createJsBackend().softmaxRows(logits).data];
    expect(result.loss).toBeCloseTo(-Math.log(p[1]!), 14);
    expect([...result.backward().data]).toEqual([p[0]!, p[1]! - 1, p[2]!].map((v) => expect.closeTo(v, 14)));
  });

  it('down-weights samples that are already right', () => {
    const confident = Tensor.from([1, 2], [4, 0], 'float64');
    const ratio = (gamma: number) => create(gamma).forward(confident, [0]).loss / create(0).forward(confident, [0]).loss;
    expect(ratio(2)).toBeLessThan(ratio(1));
    expect(ratio(1)).toBeLessThan(1);
  });

  it('passes the gradient check for several gammas', () => {
    for (const gamma of [0, 0.5, 1, 2, 3.5]) {
      expect(checkLossGradients(focal, { gamma }, { classes: 5, batch: 4, seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
    }
  });

  it('has a finite gradient when the true class has probability 1', () => {
    const certain = Tensor.from([1, 2], [800, 0], 'float64');
    for (const gamma of [0.5, 2]) {
      const { loss, backward } = create(gamma).forward(certain, [0]);
      expect(loss).toBe(0);
      expect([...backward().data].every(Number.isFinite)).toBe(true);
    }
  });

  it('reports a label outside the classes as a config problem of the loss', () => {
    const logits = Tensor.from([1, 3], [0, 0, 0], 'float64');
    expect(() => create(2).forward(logits, [3])).toThrow(ConfigError);
    expect(() => create(2).forward(logits, [3])).toThrow('label 3 (sample 0) is not a class index in [0, 3)');
  });
});
