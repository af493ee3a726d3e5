import type { MapState } from './map-state.js';
import type { NodeContext } from './node-context.js';
import { floatTensor, formatDims, sizeOf } from './tensor-values.js';

/**
 * Arithmetic by constants in front of the first layer is input preprocessing, which scratchnet
 * keeps with the model rather than in its layers (`runner export` writes a model's preprocessing
 * this way): Div by one value -> scale { divisor }; Mul by one value c -> scale { divisor: 1/c };
 * Sub of a mean (one value or one per pixel), then optionally Div by a std -> standardise with
 * that state and epsilon 0 (the stored std is used as it is). After the first layer the same
 * operators are general arithmetic, which no scratchnet layer is.
 */

function values(ctx: NodeContext, state: MapState, op: string): number[] {
  if (state.layers.length > 0) {
    throw ctx.fail(
      `${op} only before the first layer (input scaling, e.g. x / 255)`,
      `a ${op} after ${state.layers.length} layer(s)`,
      'scratchnet has no layer for general arithmetic.',
    );
  }
  if (ctx.node.input.length !== 2 || ctx.node.input[1] === '') throw ctx.fail('2 inputs (the data, then a constant)', `${ctx.node.input.length}`);
  const constant = ctx.constant(1);
  if (constant === undefined) throw ctx.fail('a constant as input 1', 'none');
  const tensor = floatTensor(ctx, constant, 'constant');
  const size = sizeOf(state.onnxShape);
  const trim = (shape: readonly number[]): string => formatDims(shape.slice(Math.max(0, shape.findIndex((d) => d !== 1))));
  if (tensor.data.length !== 1 && (tensor.data.length !== size || trim(tensor.shape) !== trim(state.onnxShape))) {
    throw ctx.fail(`a constant of one value or of the sample's shape [${state.onnxShape.join(', ')}]`, formatDims(tensor.shape));
  }
  return Array.from(tensor.data);
}

const statistic = (values: readonly number[], size: number): number[] => (values.length === 1 ? Array.from({ length: size }, () => values[0]!) : [...values]);

export function mapPreprocess(ctx: NodeContext, state: MapState, op: 'Div' | 'Mul' | 'Sub'): void {
  ctx.onlyAttributes([]);
  const constant = values(ctx, state, op);
  const size = sizeOf(state.onnxShape);
  const last = state.preprocess.at(-1);
  if (op === 'Sub') {
    const perPixel = constant.length > 1;
    state.preprocess.push({
      options: { type: 'standardise', perPixel, epsilon: 0 },
      state: { mean: perPixel ? constant : constant[0], std: perPixel ? statistic([1], size) : 1, divided: false },
    });
    return;
  }
  if (constant.some((v) => !(v > 0))) throw ctx.fail(`${op} by values > 0`, `${constant.find((v) => !(v > 0))}`);
  if (op === 'Mul') {
    if (constant.length !== 1) throw ctx.fail('Mul by one value (scaling)', `${constant.length} values`);
    state.preprocess.push({ options: { type: 'scale', divisor: 1 / constant[0]! }, state: {} });
    return;
  }
  if (last !== undefined && last.options.type === 'standardise' && last.state['divided'] === false) {
    const perPixel = last.options['perPixel'] === true || constant.length > 1;
    const mean = last.state['mean'] as number | number[];
    state.preprocess[state.preprocess.length - 1] = {
      options: { type: 'standardise', perPixel, epsilon: 0 },
      state: {
        mean: perPixel ? statistic(typeof mean === 'number' ? [mean] : mean, size) : mean,
        std: perPixel ? statistic(constant, size) : constant[0],
        divided: true,
      },
    };
    return;
  }
  if (constant.length === 1) state.preprocess.push({ options: { type: 'scale', divisor: constant[0]! }, state: {} });
  else state.preprocess.push({ options: { type: 'standardise', perPixel: true, epsilon: 0 }, state: { mean: statistic([0], size), std: constant, divided: true } });
}

/** The preprocessing state without the mapper's bookkeeping. */
export function finalPreprocess(state: MapState): { options: MapState['preprocess'][number]['options']; state: Record<string, unknown> }[] {
  return state.preprocess.map(({ options, state: { divided: _divided, ...rest } }) => ({ options, state: rest }));
}
