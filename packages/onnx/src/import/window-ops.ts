import { addLayer, matchShapes, type MapState } from './map-state.js';
import type { ImportedTensor, NodeContext } from './node-context.js';
import { floatTensor, formatDims } from './tensor-values.js';

/**
 * Conv, MaxPool, AveragePool and GlobalAveragePool -> conv2d, max-pool2d, avg-pool2d and
 * global-avg-pool. Both sides use NCHW images and conv weights [out, in, kh, kw], so weights are
 * copied as they are. ONNX pads are [top, left, bottom, right]; scratchnet pads both ends of a
 * side alike (or 'same' with the odd pixel at the bottom/right, ONNX's SAME_UPPER), so
 * asymmetric pads are refused. Output side: floor((s + a + b − d·(k − 1) − 1) / t) + 1 in both.
 */

type Pair = readonly [number, number];

const pairOrNumber = ([a, b]: Pair): number | Pair => (a === b ? a : [a, b]);

function image(ctx: NodeContext, state: MapState): readonly [number, number, number] {
  const shape = state.onnxShape;
  if (shape.length !== 3) throw ctx.fail('a 4-D input [N, channels, height, width]', `[N, ${shape.join(', ')}]`, 'Only 2-D images (NCHW) are supported.');
  matchShapes(state);
  return shape as unknown as readonly [number, number, number];
}

function pair(ctx: NodeContext, name: string, fallback: Pair, minimum: number): Pair {
  const values = ctx.ints(name);
  if (values === undefined) return fallback;
  if (values.length !== 2 || !values.every((v) => Number.isInteger(v) && v >= minimum)) {
    throw ctx.fail(`${name}: 2 integers >= ${minimum} (height, width)`, formatDims(values));
  }
  return [values[0]!, values[1]!];
}

interface Window {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly dilation: Pair;
  /** scratchnet's padding option. */
  readonly padding: 'valid' | 'same' | number | Pair;
  /** [top, left, bottom, right], for the output size. */
  readonly pads: readonly [number, number, number, number];
}

/** Pads [top, left, bottom, right] giving ceil(size / stride) outputs, the odd pixel at the bottom/right (scratchnet's 'same'). */
function sameUpper(kernel: Pair, stride: Pair, dilation: Pair, height: number, width: number): readonly [number, number, number, number] {
  const side = (size: number, k: number, t: number, d: number): Pair => {
    const total = Math.max((Math.ceil(size / t) - 1) * t + d * (k - 1) + 1 - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [top, bottom] = side(height, kernel[0], stride[0], dilation[0]);
  const [left, right] = side(width, kernel[1], stride[1], dilation[1]);
  return [top, left, bottom, right];
}

function window(ctx: NodeContext, kernel: Pair, height: number, width: number): Window {
  const stride = pair(ctx, 'strides', [1, 1], 1);
  const dilation = pair(ctx, 'dilations', [1, 1], 1);
  const autoPad = ctx.string('auto_pad') ?? 'NOTSET';
  if (autoPad === 'SAME_UPPER') return { kernel, stride, dilation, padding: 'same', pads: sameUpper(kernel, stride, dilation, height, width) };
  if (autoPad === 'VALID') return { kernel, stride, dilation, padding: 'valid', pads: [0, 0, 0, 0] };
  if (autoPad !== 'NOTSET') {
    throw ctx.fail('auto_pad NOTSET, VALID or SAME_UPPER', JSON.stringify(autoPad), 'scratchnet puts the odd padding pixel at the bottom/right (SAME_UPPER) only.');
  }
  const pads = ctx.ints('pads') ?? [0, 0, 0, 0];
  if (pads.length !== 4 || !pads.every((p) => Number.isInteger(p) && p >= 0)) throw ctx.fail('pads: 4 integers >= 0 [top, left, bottom, right]', formatDims(pads));
  const [top, left, bottom, right] = pads as unknown as readonly [number, number, number, number];
  const same = sameUpper(kernel, stride, dilation, height, width);
  if ((top !== bottom || left !== right) && same.every((p, i) => p === pads[i])) {
    // What scratchnet's 'same' pads (and runner export writes out) when the total is odd.
    return { kernel, stride, dilation, padding: 'same', pads: same };
  }
  if (top !== bottom || left !== right) {
    throw ctx.fail(
      "symmetric pads (top = bottom and left = right), or the 'same' padding of this input",
      formatDims(pads),
      'scratchnet pads both ends of a side alike; pad the input explicitly or use symmetric padding in the PyTorch model.',
    );
  }
  return { kernel, stride, dilation, padding: top === 0 && left === 0 ? 'valid' : pairOrNumber([top, left]), pads: [top, left, bottom, right] };
}

function outputSide(ctx: NodeContext, size: number, k: number, t: number, before: number, after: number, d: number): number {
  const out = Math.floor((size + before + after - d * (k - 1) - 1) / t) + 1;
  if (out < 1) throw ctx.fail(`a window that fits the input (kernel ${k}, dilation ${d}, pads ${before}+${after})`, `an input side of ${size}`);
  return out;
}

function outputImage(ctx: NodeContext, [height, width]: Pair, w: Window): Pair {
  const [top, left, bottom, right] = w.pads;
  return [
    outputSide(ctx, height, w.kernel[0], w.stride[0], top, bottom, w.dilation[0]),
    outputSide(ctx, width, w.kernel[1], w.stride[1], left, right, w.dilation[1]),
  ];
}

export function mapConv(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
  const [channels, height, width] = image(ctx, state);
  const group = ctx.int('group', 1);
  if (group !== 1) throw ctx.fail('group = 1 (an ordinary convolution)', `group = ${group}`, 'Grouped and depthwise convolutions have no scratchnet layer.');
  const w = ctx.constant(1);
  if (w === undefined) throw ctx.fail('a weight input W', 'none');
  const weight = floatTensor(ctx, w, 'weight W');
  const [filters, inputs, kh, kw] = weight.shape;
  if (weight.shape.length !== 4 || inputs !== channels || !filters || !kh || !kw) {
    throw ctx.fail(`a weight W of shape [filters, ${channels}, kh, kw] for ${channels} input channels`, formatDims(weight.shape));
  }
  const kernel = pair(ctx, 'kernel_shape', [kh, kw], 1);
  if (kernel[0] !== kh || kernel[1] !== kw) throw ctx.fail(`kernel_shape [${kh}, ${kw}] (the weight's)`, formatDims(kernel));
  const win = window(ctx, kernel, height, width);
  const [oh, ow] = outputImage(ctx, [height, width], win);
  const weights: Record<string, ImportedTensor> = { weight };
  const b = ctx.constant(2);
  if (b !== undefined) {
    const bias = floatTensor(ctx, b, 'bias B');
    if (bias.shape.length !== 1 || bias.shape[0] !== filters) throw ctx.fail(`a bias B of shape [${filters}]`, formatDims(bias.shape));
    weights['bias'] = bias;
  }
  const options = {
    type: 'conv2d',
    filters,
    kernelSize: pairOrNumber(kernel),
    stride: pairOrNumber(win.stride),
    padding: win.padding,
    dilation: pairOrNumber(win.dilation),
    useBias: b !== undefined,
  };
  addLayer(state, options, weights, [filters, oh, ow]);
}

/** MaxPool and AveragePool: the window options scratchnet's pools share (no dilation; stride given explicitly, since ONNX's default is 1). */
export function mapPool(ctx: NodeContext, state: MapState, kind: 'max' | 'average'): void {
  const common = ['auto_pad', 'ceil_mode', 'kernel_shape', 'pads', 'strides'];
  ctx.onlyAttributes(kind === 'max' ? [...common, 'dilations', 'storage_order'] : [...common, 'count_include_pad']);
  const [channels, height, width] = image(ctx, state);
  const kernel = pair(ctx, 'kernel_shape', [0, 0], 1);
  if (kernel[0] === 0) throw ctx.fail('a kernel_shape attribute', 'none');
  if (ctx.int('ceil_mode', 0) !== 0) throw ctx.fail('ceil_mode = 0 (output sizes rounded down)', 'ceil_mode = 1', 'Use ceil_mode=False in PyTorch.');
  const win = window(ctx, kernel, height, width);
  if (win.dilation[0] !== 1 || win.dilation[1] !== 1) throw ctx.fail('dilations [1, 1]', formatDims(win.dilation), 'scratchnet pools have no dilation.');
  const [top, left] = win.pads;
  if (win.pads.some((p, i) => p >= kernel[i % 2]!)) {
    throw ctx.fail(`pads smaller than the kernel ${formatDims(kernel)}`, formatDims(win.pads));
  }
  if (kind === 'average' && ctx.int('count_include_pad', 0) !== 0 && (top > 0 || left > 0 || win.padding === 'same')) {
    throw ctx.fail('count_include_pad = 0 with padding (padding cells not counted in the average)', 'count_include_pad = 1', 'Use count_include_pad=False in PyTorch.');
  }
  const [oh, ow] = outputImage(ctx, [height, width], win);
  addLayer(
    state,
    { type: kind === 'max' ? 'max-pool2d' : 'avg-pool2d', poolSize: pairOrNumber(kernel), stride: pairOrNumber(win.stride), padding: win.padding },
    {},
    [channels, oh, ow],
  );
}

/** GlobalAveragePool gives [N, c, 1, 1]; scratchnet's global-avg-pool [N, c] (the same values). */
export function mapGlobalAveragePool(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes([]);
  const [channels] = image(ctx, state);
  addLayer(state, { type: 'global-avg-pool' }, {}, [channels, 1, 1], [channels]);
}
