import { type LayerBuffers, type LayerPlugin, type Mode, createLayerBuffers } from '@scratchnet/spec';
import { type Backend, type DType, type Shape, Tensor, allocate, createJsBackend, createRng, shapeSize } from '@scratchnet/tensor';
import { createTestContext, optionsWithDefaults } from '@scratchnet/testkit';
import { expect, vi } from 'vitest';

/**
 * Test-only checks of the buffers contract shared by every layer's tests (excluded from the build
 * by the `test-*` pattern).
 */

/** The JS backend with a `zeros` that counts its calls (allocating without Tensor.zeros). */
export function countingBackend(): { backend: Backend; zerosCalls: () => number } {
  let calls = 0;
  const backend: Backend = {
    ...createJsBackend(),
    zeros(shape: Shape, dtype: DType = 'float32') {
      calls++;
      return new Tensor(shape, allocate(dtype, shapeSize(shape)));
    },
  };
  return { backend, zerosCalls: () => calls };
}

interface Pass {
  readonly output: Tensor;
  readonly inputGrad: Tensor | undefined;
  readonly grads: Readonly<Record<string, Tensor>>;
}

export interface BufferCheck {
  readonly inputShape: Shape;
  readonly mode?: Mode;
  readonly seed?: number;
}

/**
 * Runs `plugin` without buffers and with one createLayerBuffers over batches of 3, 3 and 5 and
 * expects: bit-identical outputs, input gradients and parameter gradients on both paths; the
 * second batch of 3 (new values written into the same input and outputGrad tensors, as a network
 * does) returns the same output and input-gradient objects and allocates nothing (no
 * backend.zeros, no Tensor.zeros, so no kernel without `out`); the batch of 5 gets other tensors;
 * neither input nor outputGrad is written.
 */
export function expectBuffersMatchAllocating<O>(plugin: LayerPlugin<O>, options: Partial<O>, check: BufferCheck): void {
  const mode = check.mode ?? 'train';
  const seed = check.seed ?? 1;
  const { backend, zerosCalls } = countingBackend();
  const context = createTestContext({ inputShape: check.inputShape, seed, backend });
  const layer = plugin.create(optionsWithDefaults(plugin, options), context);
  const outputShape = plugin.outputShape(check.inputShape, optionsWithDefaults(plugin, options));
  const rngState = context.rng.state();
  const dataRng = createRng(seed + 100);
  const random = (shape: Shape) => {
    const t = Tensor.zeros(shape, 'float64');
    for (let i = 0; i < t.size; i++) t.data[i] = dataRng.uniform(-2, 2);
    return t;
  };
  const newGrads = () => Object.fromEntries(Object.entries(layer.params).map(([name, p]) => [name, Tensor.zeros(p.shape, p.dtype)]));
  const run = (x: Tensor, dy: Tensor, buffers: LayerBuffers | undefined, grads = newGrads()): Pass => {
    context.rng.setState(rngState);
    const result = layer.forward(x, mode, buffers);
    return { output: result.output, inputGrad: result.backward(dy, grads), grads };
  };
  const snapshot = (pass: Pass) => ({
    output: pass.output.data.slice(),
    inputGrad: pass.inputGrad?.data.slice(),
    grads: Object.fromEntries(Object.entries(pass.grads).map(([name, g]) => [name, g.data.slice()])),
  });
  const cases = [3, 3, 5].map((n) => ({ x: random([n, ...check.inputShape]), dy: random([n, ...outputShape]) }));
  const expected = cases.map(({ x, dy }) => snapshot(run(x.clone(), dy.clone(), undefined)));

  const buffers = createLayerBuffers(backend);
  const grads = newGrads();
  // One input and outputGrad tensor per batch size, refilled per batch like a previous layer's buffers.
  const x3 = Tensor.zeros(cases[0]!.x.shape, 'float64');
  const dy3 = Tensor.zeros(cases[0]!.dy.shape, 'float64');
  const buffered = (index: number, x: Tensor, dy: Tensor) => {
    x.data.set(cases[index]!.x.data);
    dy.data.set(cases[index]!.dy.data);
    const pass = run(x, dy, buffers, grads);
    expect(snapshot(pass), `${plugin.type} with buffers, batch ${index}`).toEqual(expected[index]);
    expect(x.data, `${plugin.type} changed its input`).toEqual(cases[index]!.x.data);
    expect(dy.data, `${plugin.type} changed its outputGrad`).toEqual(cases[index]!.dy.data);
    return pass;
  };

  const first = buffered(0, x3, dy3);
  const allocations = vi.spyOn(Tensor, 'zeros');
  const zerosBefore = zerosCalls();
  try {
    const second = buffered(1, x3, dy3);
    expect(allocations, `${plugin.type}: Tensor.zeros during a second same-shape step`).not.toHaveBeenCalled();
    expect(zerosCalls(), `${plugin.type}: backend.zeros during a second same-shape step`).toBe(zerosBefore);
    expect(second.output).toBe(first.output);
    expect(second.inputGrad).toBe(first.inputGrad);
  } finally {
    allocations.mockRestore();
  }
  const third = buffered(2, cases[2]!.x.clone(), cases[2]!.dy.clone());
  expect(third.output).not.toBe(first.output);
  expect(third.output.shape).toEqual([5, ...outputShape]);
  if (third.inputGrad !== undefined) expect(third.inputGrad).not.toBe(first.inputGrad);
}

/**
 * Builds `plugin` twice with equal parameters, once with `inputGradient: false`, and expects that
 * one's backward to return undefined while writing the same parameter gradients (and output).
 */
export function expectInputGradientSkipped<O>(plugin: LayerPlugin<O>, options: Partial<O>, inputShape: Shape, mode: Mode = 'train'): void {
  const full = optionsWithDefaults(plugin, options);
  const build = (inputGradient: boolean) => {
    const context = createTestContext({ inputShape, seed: 5, inputGradient });
    return { context, layer: plugin.create(full, context) };
  };
  const needed = build(true);
  const skipped = build(false);
  const dataRng = createRng(9);
  const x = Tensor.zeros([4, ...inputShape], 'float64');
  const dy = Tensor.zeros([4, ...plugin.outputShape(inputShape, full)], 'float64');
  for (const t of [x, dy]) for (let i = 0; i < t.size; i++) t.data[i] = dataRng.uniform(-2, 2);
  const pass = ({ layer }: ReturnType<typeof build>) => {
    const grads = Object.fromEntries(Object.entries(layer.params).map(([name, p]) => [name, Tensor.zeros(p.shape, p.dtype)]));
    const result = layer.forward(x, mode);
    const inputGrad = result.backward(dy, grads);
    return { output: result.output.data.slice(), inputGrad, grads };
  };
  const withGradient = pass(needed);
  const without = pass(skipped);
  expect(withGradient.inputGrad?.shape).toEqual(x.shape);
  expect(without.inputGrad).toBeUndefined();
  expect(without.output).toEqual(withGradient.output);
  expect(without.grads).toEqual(withGradient.grads);
}
