import { avgPool2d } from './avg-pool2d.js';
import { batchNorm } from './batch-norm.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { globalAvgPool } from './global-avg-pool.js';
import { leakyRelu } from './leaky-relu.js';
import { maxPool2d } from './max-pool2d.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';

export { avgPool2d } from './avg-pool2d.js';
export { batchNorm, type BatchNormOptions } from './batch-norm.js';
export { conv2d, type Conv2dOptions } from './conv2d.js';
export { dense, type DenseOptions } from './dense.js';
export { fuseLayers, type FusionCandidate, type LayerFusion } from './dense-fusion.js';
export { dropout, type DropoutOptions } from './dropout.js';
export { flatten } from './flatten.js';
export { globalAvgPool } from './global-avg-pool.js';
export { leakyRelu, type LeakyReluOptions } from './leaky-relu.js';
export { maxPool2d } from './max-pool2d.js';
export type { Pool2dOptions } from './pool-window.js';
export { relu } from './relu.js';
export { reshape, type ReshapeOptions } from './reshape.js';
export { sigmoid } from './sigmoid.js';
export { softmax } from './softmax.js';
export { tanh } from './tanh.js';
export type { Padding, SizePair } from './window-options.js';
export { defineActivation, type ActivationSpec, type ActivationCache } from './activation.js';

/** Every built-in layer, for `registry.register` in a loop. */
export const layers = [dense, sigmoid, tanh, relu, leakyRelu, softmax, dropout, flatten, reshape, conv2d, maxPool2d, avgPool2d, globalAvgPool, batchNorm] as const;
