import { type OptimiserState, defineOptimiser } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { checkOptimiserResume } from './check-optimiser.js';

type Bug = 'none' | 'unsaved-velocity' | 'live-state' | 'adopt-state' | 'no-step-count' | 'no-op';

/** SGD with momentum (v = 0.9 v + g, w -= lr v), with one deliberate bug at a time. */
const momentum = defineOptimiser<{ bug: Bug }>({
  kind: 'optimiser',
  type: 'test-momentum',
  specVersion: 1,
  description: 'momentum SGD with a deliberate bug',
  optionsSchema: { type: 'object', properties: { bug: { type: 'string', default: 'none' } } },
  create({ bug }, { params }) {
    let velocities: Float64Array[] = params.map((p) => new Float64Array(p.value.size));
    let steps = 0;
    return {
      step(learningRate) {
        steps += bug === 'no-step-count' ? 0 : 1;
        if (bug === 'no-op') return;
        params.forEach((p, i) => {
          const v = velocities[i]!;
          for (let j = 0; j < v.length; j++) {
            v[j] = 0.9 * v[j]! + p.grad.data[j]!;
            p.value.data[j] = p.value.data[j]! - learningRate * v[j]!;
          }
        });
      },
      state(): OptimiserState {
        if (bug === 'unsaved-velocity') return { step: steps, buffers: {} };
        const copy = bug === 'live-state' ? (v: Float64Array) => v : (v: Float64Array) => v.slice();
        return { step: steps, buffers: Object.fromEntries(params.map((p, i) => [`${p.name}.v`, copy(velocities[i]!)])) };
      },
      loadState(state) {
        steps = state.step;
        if (bug === 'unsaved-velocity') return;
        if (bug === 'adopt-state') velocities = params.map((p) => state.buffers[`${p.name}.v`] as Float64Array);
        else params.forEach((p, i) => velocities[i]!.set(state.buffers[`${p.name}.v`]!));
      },
    };
  },
});

describe('checkOptimiserResume', () => {
  it('passes an optimiser whose state() holds everything, for float32 and float64 parameters', () => {
    const report = checkOptimiserResume(momentum, {});
    expect(report.buffers).toEqual(['layers.0.weight.v', 'layers.0.bias.v']);
    expect(report.maxChange).toBeGreaterThan(0.01);
  });

  it.each([
    ['unsaved-velocity', /"layers\.0\.weight" differs from the uninterrupted run at step 8/],
    ['live-state', /buffer "layers\.0\.weight\.v" of a saved state\(\) changed when training went on/],
    ['adopt-state', /loadState\(\) kept buffer "layers\.0\.weight\.v" and changed it/],
    ['no-step-count', /state\(\)\.step is 0 after 3 steps/],
    ['no-op', /left every weight unchanged/],
  ] as const)('catches %s', (bug, message) => {
    expect(() => checkOptimiserResume(momentum, { bug })).toThrow(message);
  });

  it('names the dtype and refuses a split outside the run', () => {
    expect(() => checkOptimiserResume(momentum, { bug: 'no-step-count' }, { dtypes: ['float64'] })).toThrow(/\(float64 parameters\)/);
    expect(() => checkOptimiserResume(momentum, {}, { steps: 4, split: 4 })).toThrow(/split must be an integer in \[1, steps\)/);
  });
});
