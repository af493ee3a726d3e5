import { describe, expect, it } from 'vitest';
import { ConfigError } from '@scratchnet/spec';
import { oneCycle } from './one-cycle.js';
import { createSchedule, schemaDefaults } from './test-support.js';

// PyTorch's OneCycleLR(max_lr=0.1, total_steps=100) with its defaults (pct_start 0.3,
// anneal_strategy 'cos', div_factor 25, final_div_factor 1e4, base_momentum 0.85,
// max_momentum 0.95, three_phase False):
//   initial = 0.1 / 25 = 0.004, final = 0.004 / 1e4 = 4e-7
//   warm-up ends at a = 0.3 * 100 - 1 = 29; the anneal ends at 99
//   anneal(from, to, p) = to + (from - to) / 2 * (cos(pi * p) + 1)
const context = { iterationsPerEpoch: 10, totalIterations: 100 };
const schedule = () => createSchedule(oneCycle, { maxLearningRate: 0.1 }, context);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('one-cycle', () => {
  it('defaults as PyTorch OneCycleLR; maxLearningRate is required', () => {
    expect(schemaDefaults(oneCycle.optionsSchema)).toEqual({
      maxLearningRate: undefined,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 1e4,
      cycleMomentum: true,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
    });
    expect(oneCycle.optionsSchema['required']).toEqual(['maxLearningRate']);
  });

  it('starts at maxLearningRate / divFactor with maxMomentum', () => {
    const s = schedule();
    // p = 0: anneal(0.004, 0.1, 0) = 0.1 + (0.004 - 0.1) / 2 * 2 = 0.004 (to rounding)
    expect(s.learningRate(0)).toBeCloseTo(0.004, 17);
    expect(s.momentum!(0)).toBe(0.95);
  });

  it('warms up along a cosine', () => {
    const s = schedule();
    // i 10: p = 10/29, cos(10 pi / 29) = 0.4684084407
    //   lr = 0.1 - 0.048 * 1.4684084407 = 0.0295163948; momentum = 0.85 + 0.05 * 1.4684084407 = 0.9234204220
    expect(s.learningRate(10)).toBeCloseTo(0.0295163948464, 12);
    expect(s.momentum!(10)).toBeCloseTo(0.923420422035, 12);
  });

  it('peaks at iteration pctStart * T - 1 with baseMomentum', () => {
    const s = schedule();
    // i 29: p = 1, anneal(0.004, 0.1, 1) = 0.1 exactly (cos(pi) + 1 = 0)
    expect(s.learningRate(29)).toBe(0.1);
    expect(s.momentum!(29)).toBe(0.85);
    expect(Math.max(...range(100).map((i) => s.learningRate(i)))).toBe(0.1);
  });

  it('anneals along a cosine to maxLearningRate / divFactor / finalDivFactor at the last iteration', () => {
    const s = schedule();
    // i 30: p = (30 - 29) / (99 - 29) = 1/70, cos(pi / 70) = 0.9989930665
    //   lr = 4e-7 + 0.0999996 / 2 * 1.9989930665 = 0.0999496535
    expect(s.learningRate(30)).toBeCloseTo(0.0999496535285, 12);
    expect(s.momentum!(30)).toBeCloseTo(0.850050346673, 12);
    // i 64: p = 35/70 = 0.5, cos = 0: lr = 4e-7 + 0.0999996 / 2 = 0.0500002, momentum = 0.9
    expect(s.learningRate(64)).toBeCloseTo(0.0500002, 15);
    expect(s.momentum!(64)).toBeCloseTo(0.9, 15);
    // i 99: p = 1: the final values exactly
    expect(s.learningRate(99)).toBe(4e-7);
    expect(s.momentum!(99)).toBe(0.95);
  });

  it('stays at the final values past totalIterations', () => {
    const s = schedule();
    for (const i of [100, 101, 250]) {
      expect(s.learningRate(i)).toBe(4e-7);
      expect(s.momentum!(i)).toBe(0.95);
    }
  });

  it('rises monotonically during the warm-up and falls after; the momentum does the opposite', () => {
    const s = schedule();
    for (let i = 1; i < 100; i++) {
      const dLr = s.learningRate(i) - s.learningRate(i - 1);
      const dMomentum = s.momentum!(i)! - s.momentum!(i - 1)!;
      if (i <= 29) {
        expect(dLr, `lr at ${i}`).toBeGreaterThan(0);
        expect(dMomentum, `momentum at ${i}`).toBeLessThan(0);
      } else {
        expect(dLr, `lr at ${i}`).toBeLessThan(0);
        expect(dMomentum, `momentum at ${i}`).toBeGreaterThan(0);
      }
    }
  });

  it('moves the momentum in exact inverse proportion to the learning rate within each phase', () => {
    const s = schedule();
    for (const i of range(100)) {
      const low = i <= 29 ? 0.004 : 4e-7; // the phase's other end of the learning rate
      const lrShare = (s.learningRate(i) - low) / (0.1 - low);
      const momentumShare = (0.95 - s.momentum!(i)!) / (0.95 - 0.85);
      expect(momentumShare, `iteration ${i}`).toBeCloseTo(lrShare, 12);
    }
  });

  it('leaves momentum alone when cycleMomentum is false', () => {
    const s = createSchedule(oneCycle, { maxLearningRate: 0.1, cycleMomentum: false }, context);
    expect(range(101).map((i) => s.momentum!(i))).toEqual(range(101).map(() => undefined));
    expect(range(101).map((i) => s.learningRate(i))).toEqual(range(101).map((i) => schedule().learningRate(i)));
  });

  it('uses divFactor, finalDivFactor, pctStart and the momentum range', () => {
    const s = createSchedule(
      oneCycle,
      { maxLearningRate: 1, pctStart: 0.5, divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9 },
      { iterationsPerEpoch: 5, totalIterations: 11 },
    );
    // initial 0.1, final 0.001; a = 0.5 * 11 - 1 = 4.5, so iteration 4 is still warming up:
    // p = 4 / 4.5, lr = 1 + (0.1 - 1) / 2 * (cos(8 pi / 9) + 1) = 1 - 0.45 * 0.0603073792 = 0.9728616793
    expect(s.learningRate(0)).toBeCloseTo(0.1, 15);
    expect(s.momentum!(0)).toBe(0.9);
    expect(s.learningRate(4)).toBeCloseTo(0.972861679, 9);
    // iteration 5: p = 0.5 / 5.5, lr = 0.001 + 0.999 / 2 * (cos(pi / 11) + 1) = 0.001 + 0.4995 * 1.9594929736 = 0.9797667403
    expect(s.learningRate(5)).toBeCloseTo(0.97976674, 8);
    expect(s.learningRate(10)).toBeCloseTo(0.001, 18);
    expect(s.momentum!(10)).toBe(0.9);
  });

  it('handles warm-ups of one iteration or less, and tiny runs', () => {
    // a = 0.1 * 10 - 1 = 0: the only warm-up iteration is the peak (PyTorch divides by zero)
    const one = createSchedule(oneCycle, { maxLearningRate: 0.1, pctStart: 0.1 }, { iterationsPerEpoch: 1, totalIterations: 10 });
    expect(one.learningRate(0)).toBe(0.1);
    expect(one.momentum!(0)).toBe(0.85);
    // a = 0.3 * 2 - 1 = -0.4: no warm-up; the anneal starts from -0.4 as in PyTorch:
    // i 0: p = 0.4 / 1.4, lr = 4e-7 + 0.0999996 / 2 * (cos(2 pi / 7) + 1) = 0.0811745654
    const none = createSchedule(oneCycle, { maxLearningRate: 0.1 }, { iterationsPerEpoch: 1, totalIterations: 2 });
    expect(none.learningRate(0)).toBeCloseTo(0.0811745654, 10);
    expect(none.learningRate(1)).toBe(4e-7);
    // T = 1 or 0: the final values from the start
    for (const totalIterations of [0, 1]) {
      const s = createSchedule(oneCycle, { maxLearningRate: 0.1 }, { iterationsPerEpoch: 1, totalIterations });
      expect(s.learningRate(0)).toBe(4e-7);
      expect(s.momentum!(0)).toBe(0.95);
    }
  });

  it('rejects pctStart outside (0, 1) and baseMomentum above maxMomentum with one ConfigError', () => {
    const create = (options: object) => () => createSchedule(oneCycle, { maxLearningRate: 0.1, ...options }, context);
    expect(create({ pctStart: 0 })).toThrow(ConfigError);
    expect(create({ pctStart: 1 })).toThrow(
      'schedule.pctStart (one-cycle): must be > 0 and < 1 (a fraction of the training iterations), got 1',
    );
    expect(create({ baseMomentum: 0.9, maxMomentum: 0.8 })).toThrow(
      'schedule.baseMomentum (one-cycle): must be <= maxMomentum (0.8), got 0.9; lower it or raise maxMomentum',
    );
    try {
      create({ pctStart: 1.5, baseMomentum: 0.9, maxMomentum: 0.8 })();
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.path.join('.'))).toEqual(['schedule.pctStart', 'schedule.baseMomentum']);
    }
    // equal momenta are fine: a constant momentum
    const flat = createSchedule(oneCycle, { maxLearningRate: 0.1, baseMomentum: 0.9, maxMomentum: 0.9 }, context);
    expect(flat.momentum!(50)).toBe(0.9);
  });

  it('refuses a context without whole epochs', () => {
    expect(() => createSchedule(oneCycle, { maxLearningRate: 0.1 }, { iterationsPerEpoch: 0, totalIterations: 0 })).toThrow(
      'one-cycle schedule: iterationsPerEpoch must be an integer >= 1, got 0.',
    );
  });
});
