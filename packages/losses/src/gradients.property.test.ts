import type { LossPlugin } from '@scratchnet/spec';
import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { losses, quadratic, softmaxCrossEntropy, sumSquaredError } from './index.js';
import { type LossCaseGenerator, checkLossGradientProperty, describeLossCase, lossCases } from './test-cases.js';

/**
 * Checklist N1 for losses: float64 central-difference checks of dLoss/dPredictions on random
 * batch sizes (1..5), class counts (1..10), prediction ranges and options, complementing the
 * fixed shapes in each loss's own test. Seeded; a failure names the seed, the case and a
 * checkLossGradients call that replays it.
 */

/** Case i of every loss uses seed FIRST_SEED + i. */
const FIRST_SEED = 2000;
const COUNT = 25;

const asLoss = <O>(plugin: LossPlugin<O>) => plugin as unknown as LossPlugin<never>;

/** Keyed like lossCases, so a generator without a plugin (or the reverse) fails to type-check. */
const PLUGINS: Record<keyof typeof lossCases, LossPlugin<never>> = {
  quadratic: asLoss(quadratic),
  'sum-squared-error': asLoss(sumSquaredError),
  'softmax-cross-entropy': asLoss(softmaxCrossEntropy),
};

const cases = (generate: LossCaseGenerator) => Array.from({ length: COUNT }, (_, i) => generate(createRng(FIRST_SEED + i)));

describe('gradient properties of every built-in loss (float64, random shapes)', () => {
  it('has a generator for every loss in the index', () => {
    expect(losses.map((loss) => loss.type).sort()).toEqual(Object.keys(PLUGINS).sort());
  });

  it.each(Object.keys(PLUGINS) as Array<keyof typeof lossCases>)('%s', (type) => {
    const summary = checkLossGradientProperty(PLUGINS[type], lossCases[type], { count: COUNT, firstSeed: FIRST_SEED });
    expect(summary.cases).toHaveLength(COUNT);
    // Every prediction element of every case is compared.
    expect(summary.checked).toBe(summary.cases.reduce((total, c) => total + c.check.batch! * c.check.classes, 0));
    expect(summary.maxRelativeError).toBeLessThan(1e-6);
  });

  it('generates batches 1..5, 1 to 10 classes, both prediction ranges and label smoothing on and off', () => {
    const squared = cases(lossCases.quadratic);
    expect(new Set(squared.map((c) => c.check.batch))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(new Set(squared.map((c) => c.check.probabilities === true))).toEqual(new Set([true, false]));
    const softmax = cases(lossCases['softmax-cross-entropy']);
    expect(Math.min(...softmax.map((c) => c.check.classes))).toBeLessThanOrEqual(2);
    expect(Math.max(...softmax.map((c) => c.check.classes))).toBeGreaterThanOrEqual(9);
    expect(new Set(softmax.map((c) => c.options['labelSmoothing'] === 0))).toEqual(new Set([true, false]));
  });

  it('names the seed, the case and a replay call of a failing case', () => {
    // Cross-entropy whose gradient ignores label smoothing: right only for the cases without it.
    const unsmoothed: LossPlugin<never> = {
      ...asLoss(softmaxCrossEntropy),
      create: (options, context) => {
        const loss = softmaxCrossEntropy.create(options as never, context);
        const plain = softmaxCrossEntropy.create({ type: 'softmax-cross-entropy', labelSmoothing: 0 }, context);
        return { ...loss, forward: (p, labels) => ({ loss: loss.forward(p, labels).loss, backward: plain.forward(p, labels).backward }) };
      },
    };
    const generated = cases(lossCases['softmax-cross-entropy']);
    const failing = generated.flatMap((c, i) => (c.options['labelSmoothing'] !== 0 && c.check.classes > 1 ? [i] : []));
    const first = failing[0]!;
    expect(() => checkLossGradientProperty(unsmoothed, lossCases['softmax-cross-entropy'], { count: COUNT, firstSeed: FIRST_SEED })).toThrow(
      new RegExp(
        `^gradient property \\(softmax-cross-entropy\\): ${failing.length} of ${COUNT} generated cases failed[\\s\\S]*` +
          `case ${first}, seed ${FIRST_SEED + first}: ${escapeRegExp(describeLossCase(generated[first]!))}\\n` +
          `    replay: checkLossGradients\\(softmax-cross-entropy, ${escapeRegExp(JSON.stringify(generated[first]!.options))}, ` +
          `\\{.*"seeds":\\[${FIRST_SEED + first}\\],"tolerance":0\\.000001\\}\\)\\n` +
          '    checkLossGradients\\(softmax-cross-entropy\\): analytic and numeric gradients differ',
      ),
    );
  });
});

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
