import { addLayer, matchShapes, type MapState } from './map-state.js';
import type { ImportedTensor, NodeContext } from './node-context.js';
import { floatTensor, formatDims } from './tensor-values.js';

/**
 * Gemm, MatMul and the Add after a MatMul -> a dense layer. scratchnet's dense stores its weight
 * as [in, units] (y = x·W + b); PyTorch's Linear exports Gemm with transB = 1 and B = [units, in],
 * which is transposed here. MatMul + Add is the same layer written in two nodes: the MatMul makes
 * a dense layer without bias and the Add right after it gives the bias.
 */

/** The per-sample input of a dense layer: 1-D features. */
function features(ctx: NodeContext, state: MapState): number {
  const [inputs, ...rest] = state.onnxShape;
  if (inputs === undefined || rest.length > 0) {
    throw ctx.fail(
      'a 2-D input [N, features]',
      `[N, ${state.onnxShape.join(', ')}]`,
      'Flatten the images first (torch.flatten(x, 1) before the Linear layer).',
    );
  }
  matchShapes(state);
  return inputs;
}

function transpose(weight: ImportedTensor): ImportedTensor {
  const [rows = 0, cols = 0] = weight.shape;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = weight.data[r * cols + c]!;
  return { shape: [cols, rows], data };
}

/** A bias of `units` values, stored as [units] or [1, units]. */
function bias(ctx: NodeContext, tensor: ImportedTensor, units: number, what: string): ImportedTensor {
  const { shape } = tensor;
  const fits = (shape.length === 1 && shape[0] === units) || (shape.length === 2 && shape[0] === 1 && shape[1] === units);
  if (!fits) throw ctx.fail(`${what} of shape [${units}] (one value per output)`, formatDims(shape));
  return { shape: [units], data: tensor.data };
}

export function mapGemm(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes(['alpha', 'beta', 'transA', 'transB']);
  const alpha = ctx.float('alpha', 1);
  const beta = ctx.float('beta', 1);
  if (alpha !== 1 || beta !== 1) throw ctx.fail('alpha = 1 and beta = 1 (as torch.nn.Linear exports)', `alpha = ${alpha}, beta = ${beta}`);
  if (ctx.int('transA', 0) !== 0) throw ctx.fail('transA = 0 (the data input not transposed)', 'transA = 1');
  const transB = ctx.int('transB', 0);
  if (transB !== 0 && transB !== 1) throw ctx.fail('transB 0 or 1', `${transB}`);
  const inputs = features(ctx, state);
  const b = ctx.constant(1);
  if (b === undefined) throw ctx.fail('a weight input B', 'none');
  const stored = floatTensor(ctx, b, 'weight B');
  const expected = transB === 1 ? `[units, ${inputs}]` : `[${inputs}, units]`;
  if (stored.shape.length !== 2 || stored.shape[transB === 1 ? 1 : 0] !== inputs || stored.shape[transB === 1 ? 0 : 1] === 0) {
    throw ctx.fail(`weight B of shape ${expected} for ${inputs} input features`, formatDims(stored.shape));
  }
  const weight = transB === 1 ? transpose(stored) : stored;
  const units = weight.shape[1]!;
  const c = ctx.constant(2);
  const weights: Record<string, ImportedTensor> = { weight };
  if (c !== undefined) weights['bias'] = bias(ctx, floatTensor(ctx, c, 'bias C'), units, 'bias C');
  addLayer(state, { type: 'dense', units, useBias: c !== undefined }, weights, [units]);
}

export function mapMatMul(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes([]);
  const inputs = features(ctx, state);
  if (ctx.node.input.length !== 2) throw ctx.fail('2 inputs (data, weight)', `${ctx.node.input.length}`);
  const b = ctx.constant(1);
  if (b === undefined) {
    throw ctx.fail('the data as input 0 and a constant weight [in, out] as input 1', 'the weight first', 'Only x·W with a constant W maps to a dense layer.');
  }
  const weight = floatTensor(ctx, b, 'weight');
  if (weight.shape.length !== 2 || weight.shape[0] !== inputs || weight.shape[1] === 0) {
    throw ctx.fail(`a weight of shape [${inputs}, units] for ${inputs} input features`, formatDims(weight.shape));
  }
  const units = weight.shape[1]!;
  const index = addLayer(state, { type: 'dense', units, useBias: false }, { weight }, [units]);
  state.openDense = index;
}

/** Add right after a MatMul, with a constant of one value per unit: the dense layer's bias. */
export function mapAdd(ctx: NodeContext, state: MapState): void {
  ctx.onlyAttributes([]);
  const index = state.openDense;
  const layer = index === undefined ? undefined : state.layers[index];
  if (index === undefined || layer === undefined || ctx.node.input.length !== 2) {
    throw ctx.fail(
      'Add only right after a MatMul, adding a constant bias (MatMul + Add = a dense layer)',
      'an Add elsewhere',
      'scratchnet has no layer for general addition (e.g. residual connections).',
    );
  }
  const units = layer['units'] as number;
  const position = ctx.node.input[0] !== '' && ctx.node.input[1] !== undefined && isConstantInput(ctx, 0) ? 0 : 1;
  const constant = ctx.constant(position);
  if (constant === undefined) throw ctx.fail('a constant bias input', 'none');
  state.layers[index] = { ...layer, useBias: true };
  state.tensors.set(`layers.${index}.bias`, bias(ctx, floatTensor(ctx, constant, 'bias'), units, 'bias'));
  state.openDense = undefined;
}

function isConstantInput(ctx: NodeContext, position: number): boolean {
  try {
    return ctx.constant(position) !== undefined;
  } catch {
    return false;
  }
}
