import { type JsonSchema, type LayerPlugin, type Options, SPEC_VERSION, outFor, requireSampleShape } from '@scratchnet/spec';
import type { Backend, Tensor } from '@scratchnet/tensor';

/** What an activation's backward may use: its input x and its output y. */
export interface ActivationCache {
  readonly input: Tensor;
  readonly output: Tensor;
}

export interface ActivationSpec<O> {
  readonly type: string;
  readonly description: string;
  /** Defaults to an object schema with no options. */
  readonly optionsSchema?: JsonSchema;
  /**
   * y = f(x) for the whole batch (one kernel call), written into `out` (x's shape and dtype)
   * when given, else into a new tensor; returns the tensor holding y. The layer uses whatever
   * is returned, so an activation that ignores `out` still works (it just allocates).
   */
  forward(backend: Backend, input: Tensor, options: Options<O>, out?: Tensor): Tensor;
  /**
   * dx = f'(x) * dy, written into `out` (x's shape and dtype) when given, else into a new
   * tensor; returns the tensor holding dx. Must not write into dy.
   */
  backward(backend: Backend, cache: ActivationCache, outputGrad: Tensor, options: Options<O>, out?: Tensor): Tensor;
}

export const NO_OPTIONS: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

/**
 * A parameter-free layer that keeps the input's shape: outputShape is the identity and the
 * forward closure caches x and y for its backward, so overlapping forwards never share state.
 * Given buffers, y goes into buffer `output` and dx into buffer `inputGrad`; built with
 * `inputGradient: false`, backward computes nothing and returns undefined.
 */
export function defineActivation<O = Record<never, never>>(spec: ActivationSpec<O>): LayerPlugin<O> {
  return {
    kind: 'layer',
    type: spec.type,
    specVersion: SPEC_VERSION,
    description: spec.description,
    optionsSchema: spec.optionsSchema ?? NO_OPTIONS,
    outputShape(inputShape) {
      requireSampleShape(spec.type, inputShape);
      return inputShape;
    },
    create(options, context) {
      requireSampleShape(spec.type, context.inputShape);
      const backend = context.backend;
      const inputGradient = context.inputGradient !== false;
      return {
        params: {},
        forward(input, _mode, buffers) {
          const output = spec.forward(backend, input, options, outFor(buffers, 'output', input.shape, input.dtype));
          return {
            output,
            backward(outputGrad) {
              if (!inputGradient) return undefined;
              const out = outFor(buffers, 'inputGrad', input.shape, input.dtype);
              return spec.backward(backend, { input, output }, outputGrad, options, out);
            },
          };
        },
      };
    },
  };
}
