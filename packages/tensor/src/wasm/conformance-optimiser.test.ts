import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import type { AdamStepOptions, RmspropStepOptions } from '../ops/optimiser.js';
import { FLAGGED_KERNELS, flagCases } from '../ops/test-finite-steps.js';
import { type Rng, createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { type Place, put } from './test-placement.js';
import { testedFlavours } from './test-flavours.js';

/**
 * Conformance of the wasm adamStep and rmspropStep kernels against the JS reference (sgdStep's
 * is in conformance-elementwise.test.ts).
 *
 * Tolerance: the wasm kernels work in float32 lanes (sqrt and division in f32x4, fused
 * multiply-adds in the relaxed build), the reference in float64 rounded once per stored value,
 * so each stored value (w and every state slot) may differ by a few float32 ulps of the terms it
 * is made of: |wasm − js| <= 1e-6 · (1 + |js|) (as for sgdStep; about 16 ulps, the kernels stay
 * within 3), with w, grad and the first moment in [-1, 1), the squared averages in [0.01, 1) (so
 * a step is at most 10× its size factor) and size factors up to 1. Non-finite reference values
 * (NaN and ±Infinity in the gradient) must match exactly, and so must the flag each step returns
 * (every written weight finite).
 *
 * Sizes: around the 4-lane vector (n not a multiple of 4 runs the scalar tail), an empty tensor
 * and random sizes; every operand plain (copied into wasm memory), resident (Backend.zeros), or
 * a resident subarray at an odd offset (unaligned for SIMD).
 */
const js = createJsBackend();
const TOLERANCE = 1e-6;
const sizeRng = createRng(77);
const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 1027, ...Array.from({ length: 6 }, () => 1 + sizeRng.int(300))];


/** Placements of `count` operands: all plain, all resident, all unaligned views, and a mix. */
function placements(count: number): Place[][] {
  const all = (p: Place): Place[] => Array.from({ length: count }, () => p);
  const mixed = Array.from({ length: count }, (_, i) => (['view', 'plain', 'resident'] as const)[i % 3]!);
  return [all('plain'), all('resident'), all('view'), mixed];
}

/** `n` float32 values uniform in [low, high). */
function uniform(rng: Rng, n: number, low: number, high: number): Tensor {
  return Tensor.from([n], Array.from({ length: n }, () => rng.uniform(low, high)), 'float32');
}

/** A gradient in [-1, 1) with NaN and ±Infinity at a few places (when n allows). */
function gradient(rng: Rng, n: number): Tensor {
  const g = uniform(rng, n, -1, 1);
  if (n > 6) [g.data[1], g.data[3], g.data[6]] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  return g;
}

function expectWithin(got: Tensor, expected: Tensor, label: string): void {
  for (let i = 0; i < expected.size; i++) {
    const want = expected.data[i]!;
    const x = got.data[i]!;
    const ok = Number.isFinite(want) ? Math.abs(x - want) <= TOLERANCE * (1 + Math.abs(want)) : Object.is(x, want);
    if (!ok) expect.fail(`${label}[${i}]: got ${x}, reference ${want} (tolerance ${TOLERANCE} · (1 + |reference|))`);
  }
}

/**
 * Runs `step` on the JS backend with plain copies of `operands` and on `wasm` with every
 * placement, comparing every operand after the step (all are updated in place; grad must not be)
 * and the finite-weights flag it returns.
 */
function conforms(wasm: Backend, label: string, names: readonly string[], operands: readonly Tensor[], step: (backend: Backend, t: readonly Tensor[]) => boolean): void {
  const expected = operands.map((t) => t.clone());
  const finite = step(js, expected);
  for (const places of placements(operands.length)) {
    const placed = operands.map((t, i) => put(wasm, t, places[i]!));
    expect(step(wasm, placed), `${label} (${places.join(', ')}) finite-weights flag`).toBe(finite);
    placed.forEach((t, i) => expectWithin(t, expected[i]!, `${label} (${places.join(', ')}) ${names[i]}`));
  }
}

/** The bias corrections of Adam's step t, as the optimiser computes them. */
function adamOptions(learningRate: number, t: number, o: { beta1: number; beta2: number; epsilon: number; weightDecay: number; decoupled: number }): AdamStepOptions {
  return {
    stepSize: learningRate / (1 - o.beta1 ** t),
    rootCorrection: Math.sqrt(1 - o.beta2 ** t),
    beta1: o.beta1,
    beta2: o.beta2,
    epsilon: o.epsilon,
    weightDecay: o.weightDecay,
    decoupledDecay: learningRate * o.decoupled,
  };
}

describe.each(testedFlavours())('wasm optimiser kernels (%s) vs the JS reference', (flavour) => {
  const wasm = createWasmBackend({ flavour });

  it(`adamStep (Adam with L2 decay, AdamW with decoupled decay) updates w, m and v within ${TOLERANCE}·(1 + |js|)`, () => {
    const base = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: 0 };
    const settings: AdamStepOptions[] = [
      adamOptions(0.1, 1, base), // stepSize 1: the largest first step
      adamOptions(1e-3, 7, base),
      adamOptions(0.01, 3, { ...base, weightDecay: 0.05 }), // Adam's L2
      adamOptions(0.05, 20, { ...base, decoupled: 0.01 }), // AdamW
      adamOptions(0.02, 1000, { beta1: 0.5, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.1, decoupled: 0.1 }),
    ];
    for (const options of settings) {
      for (const n of sizes) {
        const rng = createRng(n + 11);
        const operands = [uniform(rng, n, -1, 1), gradient(rng, n), uniform(rng, n, -1, 1), uniform(rng, n, 0.01, 1)];
        conforms(wasm, `adamStep [${n}] ${JSON.stringify(options)}`, ['w', 'grad', 'm', 'v'], operands, (backend, [w, grad, m, v]) =>
          backend.adamStep(w!, grad!, m!, v!, options),
        );
      }
    }
  });

  it(`rmspropStep, with and without momentum and decay, updates w, squareAverage and velocity within ${TOLERANCE}·(1 + |js|)`, () => {
    const settings: RmspropStepOptions[] = [
      { learningRate: 0.01, alpha: 0.99, epsilon: 1e-8, momentum: 0, weightDecay: 0 },
      { learningRate: 0.1, alpha: 0.9, epsilon: 1e-8, momentum: 0, weightDecay: 0.01 },
      { learningRate: 0.01, alpha: 0.99, epsilon: 1e-8, momentum: 0.9, weightDecay: 0 },
      { learningRate: 0.05, alpha: 0.5, epsilon: 1e-3, momentum: 0.5, weightDecay: 0.1 },
    ];
    for (const options of settings) {
      for (const n of sizes) {
        const rng = createRng(n + 29);
        const operands = [uniform(rng, n, -1, 1), gradient(rng, n), uniform(rng, n, 0.01, 1)];
        const names = ['w', 'grad', 'squareAverage'];
        if (options.momentum > 0) {
          operands.push(uniform(rng, n, -1, 1));
          names.push('velocity');
        }
        conforms(wasm, `rmspropStep [${n}] ${JSON.stringify(options)}`, names, operands, (backend, [w, grad, s, b]) =>
          backend.rmspropStep(w!, grad!, s!, b, options),
        );
      }
    }
  });

  it.each(FLAGGED_KERNELS.map((k) => [k.name, k] as const))(
    '%s returns true when every written weight is finite, false for NaN or ±Infinity in the SIMD body or the scalar tail',
    (_name, kernel) => {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const c of flagCases(dtype)) {
          // float64 operands stay plain: the binding hands them to the JS reference.
          for (const places of dtype === 'float32' ? placements(2 + kernel.slots) : [['plain' as const]]) {
            const [w, grad, ...slots] = [c.w, c.grad, ...Array.from({ length: kernel.slots }, () => Tensor.zeros(c.w.shape, dtype))].map((t, i) =>
              dtype === 'float32' ? put(wasm, t, places[i]!) : t.clone(),
            ) as [Tensor, Tensor, ...Tensor[]];
            const label = `${dtype} ${c.label} (${places.join(', ')})`;
            const finite = kernel.step(wasm, w, grad, slots, c.rate);
            const isFinite = Array.from(w.data, Number.isFinite);
            expect(isFinite, label).toEqual(isFinite.map((_, i) => i !== c.at));
            expect(finite, label).toBe(c.breakage === 'finite');
          }
        }
      }
    },
  );

  it('float64 operands use the JS reference: identical results', () => {
    const rng = createRng(5);
    const n = 13;
    const make = (low: number, high: number): Tensor => uniform(rng, n, low, high).to('float64');
    const adam = [make(-1, 1), make(-1, 1), make(-1, 1), make(0.01, 1)];
    const options = adamOptions(0.01, 2, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, decoupled: 0.02 });
    const rms = [make(-1, 1), make(-1, 1), make(0.01, 1), make(-1, 1)];
    const rmsOptions = { learningRate: 0.01, alpha: 0.99, epsilon: 1e-8, momentum: 0.9, weightDecay: 0.01 };
    const run = (backend: Backend): number[][] => {
      const [w, g, m, v] = adam.map((t) => t.clone()) as [Tensor, Tensor, Tensor, Tensor];
      backend.adamStep(w, g, m, v, options);
      const [w2, g2, s2, b2] = rms.map((t) => t.clone()) as [Tensor, Tensor, Tensor, Tensor];
      backend.rmspropStep(w2, g2, s2, b2, rmsOptions);
      return [w, m, v, w2, s2, b2].map((t) => Array.from(t.data));
    };
    expect(run(wasm)).toEqual(run(js));
  });
});
