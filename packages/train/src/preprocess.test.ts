import { definePreprocess, type PluginRegistry } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry.js';
import { applyPreprocess, createPreprocess, fitPreprocess, runSteps, type Samples } from './preprocess.js';
import { findNonFinite } from './preprocess-check.js';
import { divideStep, flatStep, rampStep } from './test-preprocessors.js';

/** Subtracts the training mean; a fitted statistic makes fit and apply distinguishable. */
const centre = definePreprocess({
  kind: 'preprocess',
  type: 'centre',
  specVersion: 1,
  description: 'Subtracts the mean of the training pixels.',
  optionsSchema: { type: 'object' },
  create: () => ({
    outputShape: (shape) => shape,
    fit: (images) => ({ mean: images.reduce((sum, v) => sum + v, 0) / images.length }),
    apply: (images, _shape, state) => images.map((v) => v - (state.mean as number)),
  }),
});
/** x / d in place, elementwise; counts its applies so tests can see what ran where. */
let divides = 0;
const divide = divideStep(() => divides++);
const ramp = rampStep(true);
const flat = flatStep;

function registry(): PluginRegistry {
  const r = createDefaultRegistry();
  for (const plugin of [centre, flat, divide, ramp]) r.register(plugin, 'test');
  return r;
}

describe('fitPreprocess, createPreprocess and applyPreprocess', () => {
  const train: Samples = { images: Float32Array.from([1, 2, 3, 6]), sampleShape: [1, 2] };
  const steps = [{ type: 'centre' }, { type: 'flat' }];

  it('fit on the training images without changing them, then replay the fitted statistics on other images', () => {
    const preprocess = fitPreprocess(steps, registry(), train);
    expect(preprocess.fitted).toEqual([
      { options: { type: 'centre' }, state: { mean: 3 } },
      { options: { type: 'flat' }, state: {} },
    ]);
    expect(Array.from(train.images)).toEqual([1, 2, 3, 6]);
    expect([preprocess.inputShape, preprocess.outputShape]).toEqual([[1, 2], [2]]);
    expect(preprocess.steps.map((s) => [s.type, s.inputShape, s.outputShape])).toEqual([
      ['centre', [1, 2], [1, 2]],
      ['flat', [1, 2], [2]],
    ]);
    expect(Array.from(runSteps(preprocess, Float32Array.from([3, 13])))).toEqual([0, 10]);
    const other = applyPreprocess(preprocess.fitted, registry(), { images: Float32Array.from([3, 13]), sampleShape: [1, 2] });
    expect(Array.from(other.images)).toEqual([0, 10]);
    expect(other.sampleShape).toEqual([2]);
  });

  it('fits each step on what the steps before it make of the training images, bytes or floats', () => {
    const chain = [{ type: 'divide', by: 4 }, { type: 'centre' }, { type: 'divide', by: 2 }, { type: 'centre' }];
    for (const images of [Uint8Array.of(4, 8, 12, 40), Float32Array.of(4, 8, 12, 40)]) {
      divides = 0;
      const preprocess = fitPreprocess(chain, registry(), { images, sampleShape: [2] });
      // mean(1, 2, 3, 10) = 4; then (x - 4) / 2 = -1.5, -1, -0.5, 3: mean 0.
      expect(preprocess.fitted.map((s) => s.state)).toEqual([{}, { mean: 4 }, {}, { mean: 0 }]);
      // The copy the fits need is made once: each divide ran on it once (plus once on its byte table).
      expect(divides).toBe(2 + 1);
      expect(Array.from(images)).toEqual([4, 8, 12, 40]);
    }
  });

  it('tables what the leading elementwise steps make of each byte value, bit for bit their apply', () => {
    const preprocess = createPreprocess(
      [
        { options: { type: 'divide', by: 255 }, state: {} },
        { options: { type: 'flat' }, state: {} },
        { options: { type: 'ramp' }, state: {} },
        { options: { type: 'divide', by: 3 }, state: {} },
      ],
      registry(),
      [1, 2, 2],
    );
    const { byteTables } = preprocess;
    // Identity, then divide and flat; ramp is not elementwise, so the later divide is not tabled.
    expect(byteTables).toHaveLength(3);
    expect(Array.from(byteTables[0]!)).toEqual(Array.from({ length: 256 }, (_, v) => v));
    const scaled = Float32Array.from({ length: 256 }, (_, v) => v);
    for (let v = 0; v < 256; v++) scaled[v] = scaled[v]! / 255;
    expect(Array.from(byteTables[1]!)).toEqual(Array.from(scaled));
    expect(Array.from(byteTables[2]!)).toEqual(Array.from(scaled));
    expect(preprocess.outputShape).toEqual([4]);
  });

  it('lets the check of applyPreprocess refuse a step, naming it', () => {
    const { fitted } = fitPreprocess(steps, registry(), train);
    const refuse = (_: Samples, step: number, type: string): void => {
      if (type === 'flat') throw new Error(`step ${step} refused`);
    };
    expect(() => applyPreprocess(fitted, registry(), train, refuse)).toThrow('step 1 refused');
  });
});

describe('findNonFinite', () => {
  const entries = (...types: [string, number?][]) => types.map(([type, by]) => ({ options: by === undefined ? { type } : { type, by }, state: {} }));

  it('settles byte images through finite tables without running a step', () => {
    const preprocess = createPreprocess(entries(['divide', 255], ['flat']), registry(), [2, 2]);
    divides = 0;
    expect(findNonFinite(preprocess, new Uint8Array(4 * 5000))).toBeUndefined();
    expect(divides).toBe(0);
  });

  it('finds the first non-finite value of the earliest step that makes one, over the whole set', () => {
    // divide by 0: 0 -> NaN, v > 0 -> Infinity. Sample 700 (past the first chunk) holds the first non-zero byte.
    const images = new Uint8Array(4 * 1000);
    images[700 * 4 + 3] = 9;
    const preprocess = createPreprocess(entries(['ramp'], ['divide', 0]), registry(), [4]);
    // ramp leaves sample 0's pixel 0 at 0 -> NaN at index 0 of step 1.
    expect(findNonFinite(preprocess, images)).toMatchObject({ step: 1, type: 'divide', index: 0, sampleShape: [4] });
    expect(findNonFinite(preprocess, images)!.value).toBeNaN();
    // A table that holds Infinity is not proof: the images are scanned and the step named.
    const tabled = createPreprocess(entries(['divide', 1e-40]), registry(), [4]);
    expect(findNonFinite(tabled, new Uint8Array(8))).toBeUndefined();
    expect(findNonFinite(tabled, images)).toEqual({ step: 0, type: 'divide', index: 700 * 4 + 3, value: Infinity, sampleShape: [4] });
    // Float images are scanned too.
    expect(findNonFinite(tabled, Float32Array.of(0, 0, 0, 1e-3))).toBeUndefined();
    expect(findNonFinite(tabled, Float32Array.of(0, 0, 0, 1))).toMatchObject({ step: 0, index: 3, value: Infinity });
  });

  it('blames the earliest step even when a later one fails in an earlier sample', () => {
    // Step 0 (divide by 1e-40) overflows only sample 900; step 1 (ramp) cannot fail; step 2
    // (divide by 0) fails at sample 0 already.
    const images = new Float32Array(2 * 1000);
    images[900 * 2] = 1;
    const preprocess = createPreprocess(entries(['divide', 1e-40], ['ramp'], ['divide', 0]), registry(), [2]);
    expect(findNonFinite(preprocess, images)).toMatchObject({ step: 0, index: 1800, value: Infinity });
  });
});
