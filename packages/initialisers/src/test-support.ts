import { createRng, Tensor } from '@scratchnet/tensor';
import type { DType, Shape } from '@scratchnet/tensor';
import type { Fan, InitialiserPlugin, JsonSchema } from '@scratchnet/spec';
import { expect } from 'vitest';

/** Test helpers shared by the initialiser tests (not part of the build). */

export type AnyInitialiser = InitialiserPlugin<never>;

/** A tensor of `shape` filled by `plugin` with options `options` from a fresh Rng(seed). */
export function filled(
  plugin: AnyInitialiser,
  options: object,
  shape: Shape,
  fan: Fan,
  seed: number,
  dtype: DType = 'float32',
): Tensor {
  const target = Tensor.zeros(shape, dtype);
  // Pre-fill with garbage so a fill that skips elements cannot pass as zeros.
  target.data.fill(123);
  const create = plugin.create as (options: object) => ReturnType<AnyInitialiser['create']>;
  create({ type: plugin.type, ...options }).fill(target, fan, createRng(seed));
  return target;
}

export interface Stats {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/** Population mean, std, min and max, accumulated in float64. */
export function statsOf(data: ArrayLike<number>): Stats {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / data.length;
  let squares = 0;
  for (let i = 0; i < data.length; i++) squares += (data[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / data.length), min, max };
}

/** The `default` of every property in an options schema. */
export function schemaDefaults(schema: JsonSchema): Record<string, unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, { default?: unknown }>;
  return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, property.default]));
}

/** A 100,000-element tensor: big enough that sample statistics sit well inside 1%. */
export const LARGE: Shape = [250, 400];

/** Same seed -> same values bit for bit; another seed -> different values. */
export function expectDeterministic(plugin: AnyInitialiser, options: object, fan: Fan): void {
  const a = filled(plugin, options, [7, 13], fan, 42);
  const b = filled(plugin, options, [7, 13], fan, 42);
  const c = filled(plugin, options, [7, 13], fan, 43);
  expect(Array.from(b.data)).toEqual(Array.from(a.data));
  expect(Array.from(c.data)).not.toEqual(Array.from(a.data));
}

/**
 * A float64 target gets the unrounded draws: the same seed gives values that round to the
 * float32 fill, and at least some of them are not representable in float32.
 */
export function expectFloat64Draws(plugin: AnyInitialiser, options: object, fan: Fan): void {
  const single = filled(plugin, options, [9, 11], fan, 7, 'float32');
  const double = filled(plugin, options, [9, 11], fan, 7, 'float64');
  expect(double.data).toBeInstanceOf(Float64Array);
  expect(Array.from(double.data, Math.fround)).toEqual(Array.from(single.data));
  expect(Array.from(double.data).some((x) => Math.fround(x) !== x)).toBe(true);
}

/** Mean within `tolerance * std` of `mean` and std within 1% of `std`. */
export function expectNormal(data: ArrayLike<number>, mean: number, std: number): void {
  const stats = statsOf(data);
  // The standard error of the mean is std/sqrt(n) ~ std/316 here; 0.02 std is > 6 of them.
  expect(Math.abs(stats.mean - mean)).toBeLessThan(0.02 * std);
  expect(stats.std / std).toBeGreaterThan(0.99);
  expect(stats.std / std).toBeLessThan(1.01);
}

/** Every value in [low, high), the extremes close to the bounds, the std that of U[low, high). */
export function expectUniform(data: ArrayLike<number>, low: number, high: number): void {
  const stats = statsOf(data);
  const width = high - low;
  expect(stats.min).toBeGreaterThanOrEqual(low);
  expect(stats.max).toBeLessThan(high);
  expect(stats.min).toBeLessThan(low + 0.001 * width);
  expect(stats.max).toBeGreaterThan(high - 0.001 * width);
  expect(Math.abs(stats.mean - (low + high) / 2)).toBeLessThan(0.01 * width);
  const std = width / Math.sqrt(12);
  expect(stats.std / std).toBeGreaterThan(0.99);
  expect(stats.std / std).toBeLessThan(1.01);
}
