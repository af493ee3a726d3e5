import { createJsBackend, createRng, createWasmBackend, Tensor } from '@scratchnet/tensor';
import type { Backend, DType, FloatArray } from '@scratchnet/tensor';
import type { JsonSchema, Optimiser, OptimiserPlugin, Parameter, Schedule, SchedulePlugin, ScheduleContext, StepOptions } from '@scratchnet/spec';
import { expect } from 'vitest';

/** Test helpers shared by the optimiser and schedule tests (not part of the build). */

/** The `default` of every property in an options schema. */
export function schemaDefaults(schema: JsonSchema): Record<string, unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, { default?: unknown }>;
  return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, property.default]));
}

/** Options as the registry would hand them over: type, schema defaults, then the given ones. */
function completeOptions(plugin: { type: string; optionsSchema: JsonSchema }, options: object): never {
  return { type: plugin.type, ...schemaDefaults(plugin.optionsSchema), ...options } as never;
}

export function parameter(
  name: string,
  values: readonly number[],
  options: { decay?: boolean; dtype?: DType } = {},
): Parameter {
  const dtype = options.dtype ?? 'float64';
  return {
    name,
    value: Tensor.from([values.length], values, dtype),
    grad: Tensor.zeros([values.length], dtype),
    decay: options.decay ?? true,
  };
}

export function createOptimiser(
  plugin: OptimiserPlugin<never>,
  options: object,
  params: readonly Parameter[],
  backend: Backend = createJsBackend(),
): Optimiser {
  return plugin.create(completeOptions(plugin, options), { params, backend });
}

export function createSchedule(plugin: SchedulePlugin<never>, options: object, context: ScheduleContext): Schedule {
  return plugin.create(completeOptions(plugin, options), context);
}

/**
 * Runs one step per entry of `gradients` (each the gradient of every parameter, in order) and
 * returns each parameter's values after every step. `stepOptions[s]`, when given, is passed to
 * step s (e.g. a schedule's momentum); without it, step() gets no options at all.
 */
export function trajectory(
  optimiser: Optimiser,
  params: readonly Parameter[],
  gradients: readonly (readonly (readonly number[])[])[],
  learningRate: number,
  stepOptions?: readonly StepOptions[],
): number[][][] {
  return gradients.map((grads, s) => {
    params.forEach((param, p) => param.grad.data.set(grads[p]!));
    if (stepOptions === undefined) optimiser.step(learningRate);
    else optimiser.step(learningRate, stepOptions[s]);
    return params.map((param) => Array.from(param.value.data));
  });
}

/** Values compared bit for bit (so -0 vs 0 or a last-bit difference fails). */
export function bits(data: FloatArray): number[] {
  return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

// A small model: a decayed weight and a bias without decay, in one dtype.
function model(dtype: DType): Parameter[] {
  const rng = createRng(2024);
  const weight = Array.from({ length: 12 }, () => rng.normal(0, 1));
  const bias = Array.from({ length: 4 }, () => rng.normal(0, 1));
  return [
    parameter('layers.0.weight', weight, { dtype, decay: true }),
    parameter('layers.0.bias', bias, { dtype, decay: false }),
  ];
}

// Gradient of 0.5 * ||w - target||^2 plus seeded noise: depends on the current weights, so any
// state lost across a restore would change the trajectory.
function setGradients(params: readonly Parameter[], step: number): void {
  const rng = createRng(1000 + step);
  for (const param of params) {
    const { data } = param.value;
    for (let i = 0; i < data.length; i++) param.grad.data[i] = data[i]! - 0.5 + rng.normal(0, 0.3);
  }
}

// The rate changes every step, as under a schedule.
const rateAt = (step: number): number => 0.05 / (1 + 0.1 * step);

/**
 * Training for `total` steps equals training `split` steps, saving state(), loading it into a
 * fresh optimiser over a copy of the parameters and training the rest: bit for bit. With
 * `momentumAt`, every step also gets that momentum, as under a schedule that cycles it.
 */
export function expectResumeIsExact(
  plugin: OptimiserPlugin<never>,
  options: object,
  dtype: DType,
  momentumAt?: (step: number) => number,
): void {
  const optionsAt = (step: number): StepOptions | undefined => (momentumAt === undefined ? undefined : { momentum: momentumAt(step) });
  const total = 8;
  const split = 3;
  const straight = model(dtype);
  const uninterrupted = createOptimiser(plugin, options, straight);
  for (let s = 0; s < total; s++) {
    setGradients(straight, s);
    uninterrupted.step(rateAt(s), optionsAt(s));
  }

  const first = model(dtype);
  const before = createOptimiser(plugin, options, first);
  for (let s = 0; s < split; s++) {
    setGradients(first, s);
    before.step(rateAt(s), optionsAt(s));
  }
  const saved = before.state();
  expect(saved.step).toBe(split);
  const resumed = first.map((param) => ({ ...param, value: param.value.clone(), grad: param.grad.clone() }));
  const after = createOptimiser(plugin, options, resumed);
  after.loadState(saved);
  for (let s = split; s < total; s++) {
    setGradients(resumed, s);
    after.step(rateAt(s), optionsAt(s));
  }

  for (let p = 0; p < straight.length; p++) {
    expect(resumed[p]!.value.dtype).toBe(dtype);
    expect(bits(resumed[p]!.value.data)).toEqual(bits(straight[p]!.value.data));
  }
  const a = uninterrupted.state();
  const b = after.state();
  expect(b.step).toBe(total);
  expect(Object.keys(b.buffers)).toEqual(Object.keys(a.buffers));
  for (const name of Object.keys(a.buffers)) expect(bits(b.buffers[name]!)).toEqual(bits(a.buffers[name]!));
  // The run really moved the weights (a no-op optimiser would pass the checks above).
  expect(bits(straight[0]!.value.data)).not.toEqual(bits(model(dtype)[0]!.value.data));
}

/**
 * The optimiser takes the same float32 steps on the wasm backend as on the JS one, with its
 * buffers in wasm memory: the wasm kernels work in float32 lanes, the JS ones in float64 rounded
 * once per stored value, so weights and buffers agree to a few float32 ulps:
 * |wasm - js| <= 1e-6 * (1 + |js|), as in the tensor package's conformance tests.
 * Five values, so the kernels' 4-lane loop and scalar tail both run; a decayed weight and an
 * exempt bias, so both decay settings are used. `stepOptions` as for trajectory (three steps).
 */
export function expectWasmMatchesJs(plugin: OptimiserPlugin<never>, options: object, stepOptions?: readonly StepOptions[]): void {
  const run = (backend: Backend): { weights: number[][][]; buffers: Record<string, number[]> } => {
    const params = [
      parameter('layers.0.weight', [1, -2, 0.5, 3, -0.125], { dtype: 'float32', decay: true }),
      parameter('layers.0.bias', [0.25, -0.75, 2, -1, 0.5], { dtype: 'float32', decay: false }),
    ];
    const grads = [
      [0.5, -1, 2, 0.25, -3],
      [-0.25, 0.5, -1, 1, 0],
      [1, -2, 0.5, -0.5, 2],
    ].map((g) => [g, g.map((x) => -0.5 * x)]);
    const optimiser = createOptimiser(plugin, options, params, backend);
    const weights = trajectory(optimiser, params, grads, 0.01, stepOptions);
    const { buffers } = optimiser.state();
    for (const buffer of Object.values(buffers)) expect(buffer).toBeInstanceOf(Float32Array);
    return { weights, buffers: Object.fromEntries(Object.entries(buffers).map(([name, b]) => [name, Array.from(b)])) };
  };
  const reference = run(createJsBackend());
  const wasm = run(createWasmBackend());
  const expectNear = (x: number, js: number, label: string): void =>
    expect(Math.abs(x - js), `${label}: wasm ${x}, js ${js}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(js)));
  wasm.weights.forEach((step, s) =>
    step.forEach((values, p) => values.forEach((x, i) => expectNear(x, reference.weights[s]![p]![i]!, `step ${s + 1}, parameter ${p}[${i}]`))),
  );
  expect(Object.keys(wasm.buffers)).toEqual(Object.keys(reference.buffers));
  for (const [name, values] of Object.entries(wasm.buffers)) values.forEach((x, i) => expectNear(x, reference.buffers[name]![i]!, `${name}[${i}]`));
}
