import { addLayer, matchShapes, type MapState } from './map-state.js';
import type { NodeContext } from './node-context.js';
import { floatTensor, formatDims, int64Values, sizeOf } from './tensor-values.js';

/**
 * The operators that become shape-keeping or shape-only layers: activations, batch
 * normalisation, Flatten and Reshape. Dropout and Identity do nothing at inference and map to no
 * layer (a dropout layer would only matter for training, and ONNX does not say its rate reliably).
 */

export function mapActivation(ctx: NodeContext, state: MapState, type: 'relu' | 'sigmoid' | 'tanh'): void {
  ctx.onlyAttributes([]);
  addLayer(state, { type }, {}, state.onnxShape, state.scratchShape);
}

export function mapLeakyRelu(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes(['alpha']);
  const slope = Number(ctx.float('alpha', 0.01).toPrecision(7)); // float32: 0.01 comes as 0.0099999998
  if (!Number.isFinite(slope)) throw ctx.fail('a finite alpha', `${slope}`);
  addLayer(state, { type: 'leaky-relu', slope }, {}, state.onnxShape, state.scratchShape);
}

/**
 * Softmax that is not the last node: a softmax layer, which normalises each sample's flattened
 * values. That is ONNX's Softmax over axis 1 before opset 13 (the input coerced to 2-D from the
 * axis), and over the last axis from opset 13 on: the same only for [N, features] input there.
 */
export function checkSoftmax(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes(['axis']);
  const rank = state.onnxShape.length + 1;
  const axis = ctx.int('axis', ctx.opset >= 13 ? -1 : 1);
  const resolved = axis < 0 ? axis + rank : axis;
  const whole = ctx.opset >= 13 ? rank === 2 && resolved === 1 : resolved === 1;
  if (!whole) {
    throw ctx.fail(
      "Softmax over each sample's values (axis 1 of an [N, classes] input)",
      `axis ${axis} of an input [N, ${state.onnxShape.join(', ')}] (opset ${ctx.opset})`,
      'scratchnet\'s softmax normalises all values of a sample; flatten before it.',
    );
  }
}

export function mapSoftmax(ctx: NodeContext, state: MapState): void {
  checkSoftmax(ctx, state);
  addLayer(state, { type: 'softmax' }, {}, state.onnxShape, state.scratchShape);
}

/**
 * BatchNormalization in inference form: scale (gamma), B (beta), input_mean and input_var (the
 * running statistics, scratchnet's layer state). ONNX's momentum weighs the old running value
 * (0.9 is PyTorch's momentum 0.1); scratchnet's weighs the new batch, so it is 1 − momentum.
 */
export function mapBatchNormalization(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes(['epsilon', 'momentum', 'training_mode', 'spatial', 'is_test', 'consumed_inputs']);
  if (ctx.int('training_mode', 0) !== 0) throw ctx.fail('training_mode = 0 (inference)', 'training_mode = 1', 'Export the model in eval mode (model.eval()).');
  if (ctx.int('spatial', 1) !== 1) throw ctx.fail('spatial = 1 (statistics per channel)', 'spatial = 0');
  if (ctx.node.output.length > 1 && ctx.node.output.slice(1).some((name) => name !== '')) {
    throw ctx.fail('one output (inference form)', `${ctx.node.output.length} outputs`, 'Export the model in eval mode (model.eval()).');
  }
  // Attributes are float32: 7 significant digits give back the value the producer meant (1e-5, 0.1).
  const epsilon = Number(ctx.float('epsilon', 1e-5).toPrecision(7));
  const momentum = Number((1 - ctx.float('momentum', 0.9)).toPrecision(7));
  if (!(epsilon > 0) || !(momentum >= 0 && momentum <= 1)) throw ctx.fail('epsilon > 0 and momentum in [0, 1]', `epsilon ${epsilon}, momentum ${1 - momentum}`);
  const shape = state.onnxShape;
  const channels = shape[0];
  if (channels === undefined) throw ctx.fail('an input [N, channels, ...]', '[N]');
  matchShapes(state);
  const names = ['scale', 'B', 'input_mean', 'input_var'] as const;
  const tensors = names.map((name, i) => {
    const constant = ctx.constant(i + 1);
    if (constant === undefined) throw ctx.fail(`input ${i + 1} (${name})`, 'none');
    const tensor = floatTensor(ctx, constant, name);
    if (tensor.shape.length !== 1 || tensor.shape[0] !== channels) throw ctx.fail(`${name} of shape [${channels}] (one value per channel)`, formatDims(tensor.shape));
    return tensor;
  });
  const [gamma, beta, runningMean, runningVariance] = tensors as [typeof tensors[0], typeof tensors[0], typeof tensors[0], typeof tensors[0]];
  if (runningVariance.data.some((v) => v < 0)) throw ctx.fail('input_var >= 0', 'a negative variance');
  addLayer(
    state,
    { type: 'batch-norm', momentum, epsilon },
    { gamma, beta, runningMean, runningVariance },
    shape,
  );
}

export function mapFlatten(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes(['axis']);
  const axis = ctx.int('axis', 1);
  const rank = state.onnxShape.length + 1;
  if ((axis < 0 ? axis + rank : axis) !== 1) {
    throw ctx.fail('axis 1 (keep the batch, flatten each sample)', `axis ${axis}`, 'Use torch.flatten(x, 1).');
  }
  flattenTo(state, [sizeOf(state.onnxShape)]);
}

/** A per-sample reshape: before the first layer a new model.input; no layer when the layers already output `shape`; else flatten or reshape. */
function flattenTo(state: MapState, shape: readonly number[]): void {
  state.onnxShape = shape;
  if (state.layers.length === 0) {
    state.scratchShape = shape;
    state.networkInput = shape;
    return;
  }
  const current = state.scratchShape;
  if (current.length === shape.length && current.every((d, i) => d === shape[i])) return;
  const { openDense } = state;
  addLayer(state, shape.length === 1 ? { type: 'flatten' } : { type: 'reshape', shape: [...shape] }, {}, shape);
  state.openDense = openDense;
}

/**
 * Reshape to [N, ...] with a constant shape: the first entry keeps the batch (0, or −1 with every
 * other entry known), the rest give the per-sample shape (one −1 at most; 0 copies the input's
 * dimension, unless allowzero = 1).
 */
export function mapReshape(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes(['allowzero']);
  const constant = ctx.constant(1);
  if (constant === undefined) throw ctx.fail('a constant shape input', 'none');
  const target = int64Values(ctx, constant, 'shape');
  const allowZero = ctx.int('allowzero', 0) === 1;
  const inputShape = [0, ...state.onnxShape]; // 0: the batch, unknown
  const size = sizeOf(state.onnxShape);
  const [batch, ...sample] = target;
  const resolved = sample.map((d, i) => (d === 0 && !allowZero ? (inputShape[i + 1] ?? -2) : d));
  const unknown = resolved.filter((d) => d === -1).length;
  const known = sizeOf(resolved.filter((d) => d !== -1));
  const fail = (): Error =>
    ctx.fail(
      `a shape [N, ...] that keeps the batch (first entry 0 or -1) and holds the ${size} values of a sample [${state.onnxShape.join(', ')}]`,
      formatDims(target),
      'Use torch.flatten(x, 1) or x.reshape(x.shape[0], -1) style reshapes.',
    );
  if (batch === undefined || sample.length === 0 || resolved.some((d) => d < -1 || (d === 0 && allowZero)) || unknown > 1) throw fail();
  if (batch === -1 && unknown > 0) throw fail();
  if (batch !== 0 && batch !== -1) throw fail();
  if (unknown === 0 ? known !== size : known === 0 || size % known !== 0) throw fail();
  flattenTo(state, resolved.map((d) => (d === -1 ? size / known : d)));
}
