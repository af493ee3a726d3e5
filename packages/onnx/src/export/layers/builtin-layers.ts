import { leakyReluToOnnx, reluToOnnx, sigmoidToOnnx, softmaxToOnnx, tanhToOnnx } from './activations.js';
import { batchNormToOnnx } from './batch-norm.js';
import { conv2dToOnnx } from './conv2d.js';
import { denseToOnnx } from './dense.js';
import type { LayerMapping } from './layer-mapping.js';
import { avgPool2dToOnnx, globalAvgPoolToOnnx, maxPool2dToOnnx } from './pooling.js';
import { dropoutToOnnx, flattenToOnnx, reshapeToOnnx } from './views.js';

/** The ONNX mapping of every built-in layer of @scratchnet/layers, by id. */
export const BUILTIN_LAYER_MAPPINGS: Readonly<Record<string, LayerMapping>> = {
  dense: denseToOnnx,
  sigmoid: sigmoidToOnnx,
  tanh: tanhToOnnx,
  relu: reluToOnnx,
  'leaky-relu': leakyReluToOnnx,
  softmax: softmaxToOnnx,
  dropout: dropoutToOnnx,
  flatten: flattenToOnnx,
  reshape: reshapeToOnnx,
  conv2d: conv2dToOnnx,
  'max-pool2d': maxPool2dToOnnx,
  'avg-pool2d': avgPool2dToOnnx,
  'global-avg-pool': globalAvgPoolToOnnx,
  'batch-norm': batchNormToOnnx,
};
