import type { FirstLayerView, GreyImage, LayerRow } from '@scratchnet/report';
import { shapeSize, type Tensor } from '@scratchnet/tensor';
import type { Network } from '@scratchnet/train';
import { imageLayout, type ImageLayout } from './sample-images.js';

/** Layers that pass values on unchanged (in eval mode): a first layer after them still sees the input image. */
const VIEW_LAYERS = new Set(['flatten', 'reshape', 'dropout']);

/** Images in a first-layer view: 8x8 fits a report's width and shows what there is to see. */
export const FIRST_LAYER_IMAGES = 64;

export function layerRows(network: Network): LayerRow[] {
  return network.layers.map((layer, index) => ({
    index,
    type: layer.type,
    outputShape: [...layer.outputShape],
    parameters: Object.values(layer.layer.params).reduce((sum, tensor) => sum + shapeSize(tensor.shape), 0),
  }));
}

/**
 * What the first trained layer looks for, drawn in the input's own layout: for a dense layer
 * each unit's weights (a column of W [in, units]) as an image of the input, for conv2d each
 * filter's kernel per input channel (W [filters, channels, kh, kw]); at most `limit` images.
 * `sampleShape` (the raw data's, from input.json) lays out a flat input such as [784] or [64];
 * without it a square input is assumed. Undefined when the first layer with weights is another
 * kind, comes after a layer that changes values, or the input is not a single-channel image.
 * Each image spans its own +/- largest weight, so zero is mid-grey in every one.
 */
export function firstLayerView(network: Network, sampleShape?: readonly number[], limit = FIRST_LAYER_IMAGES): FirstLayerView | undefined {
  const index = network.layers.findIndex((layer) => Object.keys(layer.layer.params).length > 0);
  if (index < 0 || network.layers.slice(0, index).some((layer) => !VIEW_LAYERS.has(layer.type))) return undefined;
  const { type, layer } = network.layers[index]!;
  const weight = layer.params['weight'];
  if (weight === undefined) return undefined;
  const name = `layer ${index} (${type})`;
  if (type === 'dense' && weight.shape.length === 2) {
    const layout = inputLayout(network.inputShape, sampleShape);
    if (layout === undefined || layout.channels !== 1 || layout.height * layout.width !== weight.shape[0]) return undefined;
    return denseView(weight, layout, name, limit);
  }
  if (type === 'conv2d' && weight.shape.length === 4) return convView(weight, name, limit);
  return undefined;
}

function inputLayout(inputShape: readonly number[], sampleShape: readonly number[] | undefined): ImageLayout | undefined {
  const fromData = sampleShape !== undefined && shapeSize(sampleShape) === shapeSize(inputShape) ? imageLayout(sampleShape) : undefined;
  return fromData ?? imageLayout(inputShape);
}

function denseView(weight: Tensor, layout: ImageLayout, name: string, limit: number): FirstLayerView {
  const [inputs, units] = weight.shape as [number, number];
  const shown = Math.min(units, limit);
  const images: GreyImage[] = [];
  for (let unit = 0; unit < shown; unit++) {
    const pixels = new Float32Array(inputs);
    for (let i = 0; i < inputs; i++) pixels[i] = weight.data[i * units + unit]!;
    images.push(symmetric(pixels, layout.width, layout.height));
  }
  const which = shown < units ? `the first ${shown} of its ${units} units` : `its ${units} units`;
  return {
    layer: name,
    caption: `The weights of ${which}, each drawn as a ${layout.width}x${layout.height} input image. ${SHADES}`,
    images,
  };
}

function convView(weight: Tensor, name: string, limit: number): FirstLayerView {
  const [filters, channels, kh, kw] = weight.shape as [number, number, number, number];
  const size = kh * kw;
  const total = filters * channels;
  const shown = Math.min(total, limit);
  const images: GreyImage[] = [];
  for (let k = 0; k < shown; k++) images.push(symmetric(weight.data.slice(k * size, (k + 1) * size), kw, kh));
  const per = channels === 1 ? '' : ` per input channel (${channels} each, filter by filter)`;
  const which = shown < total ? `the first ${shown} of ${total} kernels` : `all ${total} kernels`;
  return {
    layer: name,
    caption: `${filters} filters of ${kh}x${kw}${per}: ${which}. ${SHADES}`,
    images,
  };
}

const SHADES = 'Light is a positive weight, dark a negative one, mid-grey zero (each image on its own scale).';

function symmetric(pixels: Float32Array | Float64Array, width: number, height: number): GreyImage {
  let largest = 0;
  for (const v of pixels) if (Number.isFinite(v) && Math.abs(v) > largest) largest = Math.abs(v);
  const span = largest > 0 ? largest : 1;
  return { width, height, pixels, range: [-span, span] };
}
