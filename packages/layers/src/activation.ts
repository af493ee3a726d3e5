import { type JsonSchema, type LayerPlugin, type Options, SPEC_VERSION } from '@scratchnet/spec';
import type { Backend, Tensor } from '@scratchnet/tensor';
import { requireSampleShape } from './shapes.js';

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
  /** y = f(x) as a new tensor of x's shape (whole batch, one kernel call). */
  forward(backend: Backend, input: Tensor, options: Options<O>): Tensor;
  /** dx = f'(x) * dy as a new tensor (must not write into dy). */
  backward(backend: Backend, cache: ActivationCache, outputGrad: Tensor, options: Options<O>): Tensor;
}

export const NO_OPTIONS: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

/**
 * A parameter-free layer that keeps the input's shape: outputShape is the identity and the
 * forward closure caches x and y for its backward, so overlapping forwards never share state.
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
      return {
        params: {},
        forward(input) {
          const output = spec.forward(backend, input, options);
          return {
            output,
            backward: (outputGrad) => spec.backward(backend, { input, output }, outputGrad, options),
          };
        },
      };
    },
  };
}
