import type { BuildContext, Fan, JsonSchema, Options, PluginRef } from '@scratchnet/spec';
import { type Backend, type DType, type Shape, Tensor, createJsBackend, createRng } from '@scratchnet/tensor';

export interface TestContextOptions {
  /** Per-sample input shape the layer is built for. */
  readonly inputShape: Shape;
  /** Seed of `context.rng` (weights and train-time randomness such as dropout masks). */
  readonly seed: number;
  /** Default `'float64'`, so finite differences are not drowned by rounding. */
  readonly dtype?: DType;
  /** Default: the JS reference backend. */
  readonly backend?: Backend;
  /** `context.inputGradient` (default: left out, which means true). */
  readonly inputGradient?: boolean;
}

/**
 * A BuildContext for tests. `initialise(ref, shape, fan)` ignores `ref` and fills the new tensor
 * with a seeded normal of std 1/sqrt(fan.fanIn): the testkit checks a layer's maths, not its
 * initialisers (which live in another package and are tested there), and a fixed, well-scaled
 * distribution keeps every parameter element away from zero without saturating anything.
 */
export function createTestContext(options: TestContextOptions): BuildContext {
  const dtype = options.dtype ?? 'float64';
  const backend = options.backend ?? createJsBackend();
  const rng = createRng(options.seed);
  return {
    inputShape: Object.freeze([...options.inputShape]),
    rng,
    backend,
    dtype,
    ...(options.inputGradient === undefined ? {} : { inputGradient: options.inputGradient }),
    initialise(_ref: PluginRef, shape: Shape, fan: Fan): Tensor {
      const tensor = Tensor.zeros(shape, dtype);
      const std = 1 / Math.sqrt(Math.max(fan.fanIn, 1));
      for (let i = 0; i < tensor.data.length; i++) tensor.data[i] = rng.normal(0, std);
      return tensor;
    },
  };
}

/**
 * Plugin options as the registry would hand them to `create`: `type` set and every top-level
 * `default` of the plugin's `optionsSchema` filled in where `options` leaves it out. Nested
 * defaults are not filled and nothing is validated (the registry does that; the testkit keeps
 * the check independent of it).
 */
export function optionsWithDefaults<O>(
  plugin: { readonly type: string; readonly optionsSchema: JsonSchema },
  options: Partial<O> = {},
): Options<O> {
  const filled: Record<string, unknown> = {};
  const properties = plugin.optionsSchema['properties'];
  if (typeof properties === 'object' && properties !== null) {
    for (const [key, schema] of Object.entries(properties as Record<string, unknown>)) {
      if (typeof schema === 'object' && schema !== null && 'default' in schema) {
        filled[key] = structuredClone((schema as { default: unknown }).default);
      }
    }
  }
  return { ...filled, ...options, type: plugin.type } as Options<O>;
}
