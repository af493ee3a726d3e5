import { afterAll, describe, expect, it } from 'vitest';
import { initialisers } from '@scratchnet/initialisers';
import { layers } from '@scratchnet/layers';
import { createRegistry } from '@scratchnet/registry';
import type { PluginRegistry } from '@scratchnet/spec';
import { type Backend, type DType, Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { createThreadedWasmBackend } from '@scratchnet/tensor/node';
import { type Network, buildNetwork } from './index.js';
import { validatedModel } from './test-builtins.js';

/**
 * The network's fusion of a built-in dense layer with the built-in activation after it: same
 * layers, parameter names and results, bit for bit, as the same model built from copies of the
 * plugins (other objects, so nothing fuses), on every backend, with and without reused buffers.
 */

/** The built-in layers and initialisers, or copies of the layers: same behaviour, other identities. */
function registryOf(copies: boolean): PluginRegistry {
  const registry = createRegistry();
  for (const plugin of [...layers.map((p) => (copies ? { ...p } : p)), ...initialisers]) registry.register(plugin, 'builtin');
  registry.freeze();
  return registry;
}

const fusing = registryOf(false);
const separate = registryOf(true);

// Every activation that fuses, one that does not (a negative leaky slope), a dense before a
// dense, a dense without bias, and a last layer that is an activation.
const MODEL: readonly unknown[] = [
  { type: 'dense', units: 9, weightInit: 'he-normal', biasInit: { type: 'normal', std: 0.1 } },
  'relu',
  { type: 'dense', units: 7, biasInit: { type: 'normal', std: 0.1 } },
  'sigmoid',
  { type: 'dense', units: 8, useBias: false },
  'tanh',
  { type: 'dense', units: 6, biasInit: { type: 'uniform', low: -0.2, high: 0.2 } },
  { type: 'leaky-relu', slope: 0.1 },
  { type: 'dense', units: 6 },
  { type: 'leaky-relu', slope: -0.1 },
  { type: 'dense', units: 5 },
  { type: 'dense', units: 4 },
  'tanh',
];

function build(registry: PluginRegistry, backend: Backend, dtype: DType, input = 11, model = MODEL): Network {
  return buildNetwork(validatedModel(registry, [input], [...model]), registry, { seed: 12, backend, dtype, inputGradient: true });
}

const sameBits = (p: ArrayLike<number>, q: ArrayLike<number>): boolean =>
  p.length === q.length && Array.prototype.every.call(p, (v: number, i: number) => Object.is(v, q[i])) as boolean;

/**
 * Four training steps (batches of 6, 6, 3, 6; reusing buffers, then without) on both networks:
 * outputs, input gradients, every parameter gradient and the updated weights must have the
 * same bits after each.
 */
function expectSameTraining(fused: Network, plain: Network, input: number, label: string): void {
  const rng = createRng(3);
  const { backend, dtype } = fused;
  const outputs = fused.outputShape[0]!;
  for (const [step, [rows, reuse]] of ([[6, true], [6, true], [3, true], [6, false]] as const).entries()) {
    const x = Tensor.from([rows, input], Array.from({ length: rows * input }, () => rng.uniform(-2, 2)), dtype);
    const dy = Tensor.from([rows, outputs], Array.from({ length: rows * outputs }, () => rng.uniform(-1, 1)), dtype);
    const pass = (network: Network) => {
      const forward = network.forward(x, 'train', { reuse });
      const output = forward.output.data.slice();
      const dx = forward.backward(dy)!.data.slice();
      return { output, dx };
    };
    const [a, b] = [pass(fused), pass(plain)];
    const at = `${label}, step ${step} (${rows} rows, reuse ${reuse})`;
    expect(sameBits(a.output, b.output), `${at}: output`).toBe(true);
    expect(sameBits(a.dx, b.dx), `${at}: input gradient`).toBe(true);
    fused.parameters.forEach((p, i) => {
      const q = plain.parameters[i]!;
      expect(sameBits(p.grad.data, q.grad.data), `${at}: ${p.name} gradient`).toBe(true);
      backend.axpy(-0.05, p.grad, p.value);
      backend.axpy(-0.05, q.grad, q.value);
      expect(sameBits(p.value.data, q.value.data), `${at}: ${p.name}`).toBe(true);
    });
  }
}

describe('buildNetwork fuses dense layers with the activation after them', () => {
  it('keeps layer types, indices and parameter names, and passes values through the fused activations', () => {
    const fused = build(fusing, createJsBackend(), 'float32');
    const plain = build(separate, createJsBackend(), 'float32');
    expect(fused.layers.map((l) => l.type)).toEqual(plain.layers.map((l) => l.type));
    expect(fused.layers.map((l) => l.options)).toEqual(plain.layers.map((l) => l.options));
    expect(fused.parameters.map((p) => [p.name, p.value.shape, p.decay])).toEqual(plain.parameters.map((p) => [p.name, p.value.shape, p.decay]));
    expect(fused.parameters.map((p) => p.name)).toContain('layers.10.weight');
    // Fused: relu (1), sigmoid (3), tanh (5), leaky-relu 0.1 (7) and the last tanh (12); not the negative slope (9).
    const passingThrough = (network: Network) =>
      network.layers.flatMap(({ layer, inputShape }, index) => {
        const x = Tensor.zeros([1, ...inputShape]);
        return layer.forward(x, 'eval').output === x ? [index] : [];
      });
    expect(passingThrough(fused)).toEqual([1, 3, 5, 7, 12]);
    expect(passingThrough(plain)).toEqual([]);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, make] of [['js', createJsBackend], ['wasm', createWasmBackend]] as const) {
      it(`trains bit for bit like the unfused network (${name}, ${dtype})`, () => {
        const backend = make();
        expectSameTraining(build(fusing, backend, dtype), build(separate, backend, dtype), 11, `${name} ${dtype}`);
      });
    }
  }

  describe('on the threaded wasm backend', () => {
    const threaded = createThreadedWasmBackend({ threads: 2, flavour: 'simd' });
    afterAll(() => threaded.dispose());

    it('trains bit for bit like the unfused network with products split across threads', () => {
      // The first layer's products (2·rows·600·1300 flops) split at 6 rows, not at 3 (the engine
      // splits from 2^23 flops on), so both paths run.
      const model = [{ type: 'dense', units: 1300 }, 'relu', { type: 'dense', units: 10 }, 'sigmoid'];
      expectSameTraining(build(fusing, threaded, 'float32', 600, model), build(separate, threaded, 'float32', 600, model), 600, 'threaded');
    });
  });
});
