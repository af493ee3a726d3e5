import { SPEC_VERSION, defineLayer, requireSampleShape, type OnnxNode } from '@scratchnet/spec';

export interface SwishOptions {
  /** Steepness β of the gate sigmoid(β·x); β = 1 is SiLU. */
  readonly beta: number;
}

/**
 * Swish (Ramachandran et al., 2017), elementwise on any per-sample shape, with s = sigmoid(β·x):
 *   y  = x · s
 *   dx = dy · (s + β · x · s · (1 - s))
 * Built from Backend kernels only, so a faster backend speeds it up too. Given LayerBuffers it
 * writes into reused tensors (`gate`, `output`, `scratch`, `inputGrad`) and allocates nothing
 * after the first batch of each size; built with `inputGradient: false` it skips dx.
 * `toOnnx` maps it to ONNX's Mul and Sigmoid, so models with it can be exported.
 */
export const swish = defineLayer<SwishOptions>({
  kind: 'layer',
  type: 'swish',
  specVersion: SPEC_VERSION,
  description: 'Swish activation y = x * sigmoid(beta * x) (SiLU for beta = 1)',
  optionsSchema: {
    type: 'object',
    properties: {
      beta: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Steepness of the gate sigmoid(beta * x).' },
    },
    additionalProperties: false,
  },
  outputShape: (inputShape, options) => requireSampleShape(options.type, inputShape),
  // For `runner export --format onnx`: x · Sigmoid(β·x) as ONNX nodes (the Mul by β left out for β = 1).
  toOnnx({ options, input, output, addInitializer, uniqueName }) {
    const gate = uniqueName('gate');
    const nodes: OnnxNode[] = [];
    let gateInput = input;
    if (options.beta !== 1) {
      gateInput = uniqueName('scaled');
      nodes.push({ opType: 'Mul', inputs: [input, addInitializer('beta', { shape: [], data: Float32Array.of(options.beta) })], outputs: [gateInput] });
    }
    nodes.push({ opType: 'Sigmoid', inputs: [gateInput], outputs: [gate] }, { opType: 'Mul', inputs: [input, gate], outputs: [output] });
    return nodes;
  },
  create({ beta }, { backend, inputGradient }) {
    return {
      params: {},
      forward(input, _mode, buffers) {
        // Given buffers, every tensor below is one this layer reuses each step (`out` of each kernel).
        const out = (key: string) => buffers?.get(key, input.shape, input.dtype);
        const gate = backend.scale(input, beta, out('gate'));
        backend.sigmoid(gate, gate);
        const output = backend.mul(input, gate, out('output'));
        return {
          output,
          backward(outputGrad) {
            if (inputGradient === false) return undefined;
            // dy·s + β·(dy·x)·s·(1 - s); sigmoidBackward(s, t) is t·s·(1 - s), computed in place.
            const viaInput = backend.mul(outputGrad, input, out('scratch'));
            backend.sigmoidBackward(gate, viaInput, viaInput);
            return backend.axpy(beta, viaInput, backend.mul(outputGrad, gate, out('inputGrad')));
          },
        };
      },
    };
  },
});
