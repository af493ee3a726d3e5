import { type LayerBuffers, type LayerPlugin, type PluginOptions, createLayerBuffers } from '@scratchnet/spec';
import { type Backend, Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { checkBatchInvariance, checkGradients, createTestContext, optionsWithDefaults } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { dense } from './dense.js';
import { fuseLayers } from './dense-fusion.js';
import { leakyRelu } from './leaky-relu.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';
import { expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';
import { densePair } from './test-fusion.js';

const candidate = <O>(plugin: LayerPlugin<O>, options: Partial<O> = {}) => ({
  plugin: plugin as LayerPlugin<never>,
  options: optionsWithDefaults(plugin, options) as unknown as PluginOptions,
});

/** Every activation that fuses, as [label, plugin, options]. */
const FUSED = [
  ['relu', relu, {}],
  ['sigmoid', sigmoid, {}],
  ['tanh', tanh, {}],
  ['leaky-relu 0.2', leakyRelu, { slope: 0.2 }],
  ['leaky-relu 0', leakyRelu, { slope: 0 }],
] as const;

describe('fuseLayers', () => {
  it('fuses the built-in dense with each built-in activation, and nothing else', () => {
    const first = candidate(dense, { units: 3 });
    for (const [label, plugin, options] of FUSED) {
      expect(fuseLayers(first, candidate(plugin as LayerPlugin<object>, options)), label).toBeDefined();
    }
    // A leaky slope < 0 makes y > 0 where x < 0: the fused backward could not tell.
    expect(fuseLayers(first, candidate(leakyRelu, { slope: -0.5 }))).toBeUndefined();
    expect(fuseLayers(first, candidate(softmax))).toBeUndefined();
    expect(fuseLayers(candidate(relu), candidate(relu))).toBeUndefined();
    // Same behaviour, another object: a replacement or a plugin under another name never fuses.
    expect(fuseLayers(first, candidate({ ...relu }))).toBeUndefined();
    expect(fuseLayers(first, candidate({ ...tanh, type: 'acme/tanh' }))).toBeUndefined();
    expect(fuseLayers(candidate({ ...dense }, { units: 3 }), candidate(relu))).toBeUndefined();
  });

  it('makes the activation a pass-through that keeps inputGradient: false', () => {
    const fusion = fuseLayers(candidate(dense, { units: 2 }), candidate(tanh))!;
    const context = createTestContext({ inputShape: [2], seed: 1 });
    const x = Tensor.from([1, 2], [0.5, -1], 'float64');
    const dy = Tensor.from([1, 2], [3, 4], 'float64');
    const through = fusion.createSecond(context).forward(x, 'train');
    expect(through.output).toBe(x);
    expect(through.backward(dy, {})).toBe(dy);
    const last = fusion.createSecond(createTestContext({ inputShape: [2], seed: 1, inputGradient: false }));
    expect(last.params).toEqual({});
    expect(last.forward(x, 'eval').backward(dy, {})).toBeUndefined();
  });
});

describe('a fused dense + activation pair', () => {
  for (const [label, plugin, options] of FUSED) {
    const fused = densePair(plugin as LayerPlugin<object>, options, true);

    it(`${label}: passes the gradient check over 3 seeds, with and without bias, on both backends`, () => {
      for (const backend of [createJsBackend(), createWasmBackend()]) {
        const report = checkGradients(fused, { units: 3 }, { inputShape: [4], seeds: [1, 2, 3], backend });
        expect(Object.keys(report.tensors)).toEqual(['input', 'weight', 'bias']);
        expect(report.maxRelativeError).toBeLessThan(1e-6);
        const noBias = checkGradients(fused, { units: 5, useBias: false }, { inputShape: [3], batch: 4, seeds: [4, 5, 6], backend });
        expect(Object.keys(noBias.tensors)).toEqual(['input', 'weight']);
        expect(noBias.maxRelativeError).toBeLessThan(1e-6);
      }
    });

    it(`${label}: keeps the buffers and inputGradient contracts, and batch invariance`, () => {
      expectBuffersMatchAllocating(fused, { units: 3 }, { inputShape: [4] });
      expectInputGradientSkipped(fused, { units: 3 }, [4]);
      expect(checkBatchInvariance(fused, { units: 4 }, { inputShape: [3], seed: 2 }).maxDifference).toBe(0);
    });

    for (const backend of [createJsBackend(), createWasmBackend()]) {
      it(`${label}: equals the two layers built apart, bit for bit, in float32 (${backend.name})`, () => {
        expectSamePasses(backend, densePair(plugin as LayerPlugin<object>, options, false), fused);
      });
    }
  }
});

/**
 * Builds both pairs from one seed and runs them side by side, with buffers over batches of 6, 6
 * and 2 and without: outputs, input gradients and parameter gradients must have the same bits.
 */
function expectSamePasses(backend: Backend, separate: LayerPlugin<never>, fused: LayerPlugin<never>): void {
  const options = optionsWithDefaults(dense, { units: 7 }) as never;
  const build = (plugin: LayerPlugin<never>) => plugin.create(options, createTestContext({ inputShape: [9], seed: 4, dtype: 'float32', backend }));
  const [a, b] = [build(separate), build(fused)];
  const rng = createRng(5);
  const random = (shape: readonly number[]) => Tensor.from(shape, Array.from({ length: shape[0]! * shape[1]! }, () => rng.uniform(-2, 2)));
  const grads = (layer: typeof a) => Object.fromEntries(Object.entries(layer.params).map(([name, p]) => [name, backend.zeros(p.shape)]));
  const [gradsA, gradsB] = [grads(a), grads(b)];
  const [buffersA, buffersB] = [createLayerBuffers(backend), createLayerBuffers(backend)];
  for (const [rows, reuse] of [[6, true], [6, true], [2, true], [6, false]] as const) {
    const x = random([rows, 9]);
    const dy = random([rows, 7]);
    const run = (layer: typeof a, buffers: LayerBuffers, g: Record<string, Tensor>) => {
      const result = layer.forward(x, 'train', reuse ? buffers : undefined);
      return { y: result.output.data.slice(), dx: result.backward(dy, g)!.data.slice() };
    };
    const [passA, passB] = [run(a, buffersA, gradsA), run(b, buffersB, gradsB)];
    const label = `${rows} rows, reuse ${reuse}`;
    expect(sameBits(passB.y, passA.y), `${label}: y`).toBe(true);
    expect(sameBits(passB.dx, passA.dx), `${label}: dx`).toBe(true);
    for (const name of Object.keys(gradsA)) expect(sameBits(gradsB[name]!.data, gradsA[name]!.data), `${label}: ${name}`).toBe(true);
  }
}

const sameBits = (p: ArrayLike<number>, q: ArrayLike<number>): boolean =>
  p.length === q.length && Array.prototype.every.call(p, (v: number, i: number) => Object.is(v, q[i])) as boolean;
