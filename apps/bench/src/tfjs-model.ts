import * as tf from '@tensorflow/tfjs';
import type { PluginOptions } from '@scratchnet/spec';
import type { Recipe } from './recipes.js';

/**
 * TF.js layers are channels-last, scratchnet's are channels-first: images go in as [h, w, c].
 * That is the same network (after a flatten, the dense weights see the features in another
 * order, which only permutes them) and TF.js at its fastest.
 */
export function tfjsInputShape(recipe: Recipe): number[] {
  const input = recipe.model.input;
  return input.length === 3 ? [input[1]!, input[2]!, input[0]!] : [...input];
}

/**
 * Training images [n, ...model.input] as the tensor the TF.js model takes (the bench's are
 * float32, already scaled; a Dataset's bytes would be converted).
 */
export function tfjsImages(recipe: Recipe, images: Float32Array | Uint8Array, count: number): tf.Tensor {
  const input = recipe.model.input;
  return tf.tidy(() => {
    const values = images.subarray(0, count * input.reduce((a, b) => a * b, 1));
    const x = tf.tensor(values instanceof Float32Array ? values : Float32Array.from(values), [count, ...input]);
    return input.length === 3 ? x.transpose([0, 2, 3, 1]) : x;
  });
}

const pair = (value: unknown): [number, number] => (Array.isArray(value) ? [value[0], value[1]] : [Number(value), Number(value)]);

/** TF.js has only 'same' and 'valid'; a symmetric padding of (k - 1) / 2 at stride 1 is 'same'. */
function tfjsPadding(layer: PluginOptions): 'same' | 'valid' {
  const padding = layer.padding ?? 'valid';
  if (padding === 'same' || padding === 'valid') return padding;
  const [kh, kw] = pair(layer.kernelSize);
  const [ph, pw] = pair(padding);
  if (ph === 0 && pw === 0) return 'valid';
  if (2 * ph === kh - 1 && 2 * pw === kw - 1 && (layer.stride ?? 1) === 1) return 'same';
  throw new Error(`TF.js has no equivalent of conv2d padding ${JSON.stringify(padding)} with kernel ${JSON.stringify(layer.kernelSize)}`);
}

/** The recipe's layers as a compiled tf.Sequential; a ReLU after a dense or conv layer is fused into it, as TF.js users write it. */
export function buildTfjsModel(recipe: Recipe): tf.Sequential {
  const model = tf.sequential();
  const layers = recipe.model.layers;
  // L2 of weight·||W||² has gradient 2·weight·W: half the SGD weight decay.
  const kernelRegularizer = recipe.weightDecay > 0 ? tf.regularizers.l2({ l2: recipe.weightDecay / 2 }) : undefined;
  const common = { kernelInitializer: 'heNormal', biasInitializer: 'zeros', kernelRegularizer } as const;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const inputShape = i === 0 ? tfjsInputShape(recipe) : undefined;
    const fuseRelu = layers[i + 1]?.type === 'relu';
    const activation = fuseRelu ? 'relu' : 'linear';
    switch (layer.type) {
      case 'dense':
        model.add(tf.layers.dense({ units: Number(layer.units), inputShape, activation, ...common }));
        break;
      case 'conv2d':
        model.add(
          tf.layers.conv2d({
            filters: Number(layer.filters),
            kernelSize: pair(layer.kernelSize),
            strides: pair(layer.stride ?? 1),
            dilationRate: pair(layer.dilation ?? 1),
            padding: tfjsPadding(layer),
            inputShape,
            activation,
            ...common,
          }),
        );
        break;
      case 'max-pool2d': {
        const poolSize = pair(layer.poolSize);
        model.add(tf.layers.maxPooling2d({ poolSize, strides: layer.stride === undefined ? poolSize : pair(layer.stride), inputShape }));
        break;
      }
      case 'flatten':
        model.add(tf.layers.flatten({ inputShape }));
        break;
      case 'relu': // one that could not be fused
        model.add(tf.layers.reLU({ inputShape }));
        break;
      default:
        throw new Error(`no TF.js equivalent for layer type ${layer.type}`);
    }
    if (fuseRelu && (layer.type === 'dense' || layer.type === 'conv2d')) i++;
  }
  const optimizer = recipe.momentum > 0 ? tf.train.momentum(recipe.learningRate, recipe.momentum) : tf.train.sgd(recipe.learningRate);
  model.compile({ optimizer, loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits) });
  return model;
}
