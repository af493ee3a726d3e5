import { Tensor } from '@scratchnet/tensor';
import type { Backend, FloatArray } from '@scratchnet/tensor';
import type { Optimiser, OptimiserState, OptimiserStepResult, Parameter, StepOptions } from '@scratchnet/spec';

/**
 * The bookkeeping every built-in optimiser shares: one zero-initialised buffer per parameter
 * and slot (same dtype and length as the parameter), a step counter, and state()/loadState()
 * under the names `${param.name}.${slot}` (e.g. `layers.0.weight.velocity`).
 *
 * All an optimiser keeps between steps lives in those buffers and the counter, so saving the
 * state, loading it into a fresh optimiser and continuing is bit-identical to never stopping.
 */

/**
 * Updates one parameter in place. `slots` holds the parameter's buffers in the order of the
 * slot names (`slotTensors` the same buffers as tensors of the parameter's shape, for backend
 * kernels); `step` is 1 on the first call (Adam's bias correction needs it). `options` are the
 * step's options as Optimiser.step got them (`{}` when it got none), e.g. a schedule's momentum.
 * An update that throws before writing anything (say, to reject `options`) leaves the
 * optimiser as it was: the step count only advances once every parameter is updated.
 *
 * Returns whether the parameter's weights are all finite after the update (the backend's step
 * kernels report it: Backend.sgdStep and the like), or nothing when the update does not check.
 */
export type ParameterUpdate = (
  param: Parameter,
  slots: readonly FloatArray[],
  learningRate: number,
  step: number,
  slotTensors: readonly Tensor[],
  options: StepOptions,
) => boolean | void;

export function createSlotOptimiser(
  optimiserType: string,
  params: readonly Parameter[],
  slotNames: readonly string[],
  update: ParameterUpdate,
  /** Allocates the buffers with `backend.zeros`, where its kernels work on them in place. */
  backend?: Backend,
): Optimiser {
  checkParameters(optimiserType, params);
  const slotTensors = params.map(({ value }) =>
    slotNames.map(() => (backend === undefined ? Tensor.zeros(value.shape, value.dtype) : backend.zeros(value.shape, value.dtype))),
  );
  const slots = slotTensors.map((tensors) => tensors.map((tensor) => tensor.data));
  const named = params.flatMap((param, p) =>
    slotNames.map((slot, s) => ({ name: `${param.name}.${slot}`, buffer: slots[p]![s]! })),
  );
  let stepCount = 0;

  return {
    // { nonFinite } names the first parameter whose update reported non-finite weights, so
    // training need not scan them. If any update reported nothing, neither does the step: an
    // unchecked parameter before a bad one could be the first bad one, so training's own scan
    // must decide.
    step(learningRate, options = {}): OptimiserStepResult | undefined {
      const next = stepCount + 1;
      let nonFinite: string | undefined;
      let checked = true;
      for (let p = 0; p < params.length; p++) {
        const finite = update(params[p]!, slots[p]!, learningRate, next, slotTensors[p]!, options);
        if (finite === false) nonFinite ??= params[p]!.name;
        else if (finite !== true) checked = false;
      }
      stepCount = next;
      if (!checked) return undefined;
      return nonFinite === undefined ? {} : { nonFinite };
    },

    state(): OptimiserState {
      // Copies: a checkpoint must not change when training continues.
      const buffers: Record<string, FloatArray> = {};
      for (const { name, buffer } of named) buffers[name] = buffer.slice();
      return { step: stepCount, buffers };
    },

    loadState(state) {
      const where = `${optimiserType} optimiser: cannot load state`;
      if (!Number.isInteger(state.step) || state.step < 0) {
        throw new Error(`${where}: step must be an integer >= 0, got ${state.step}.`);
      }
      // Check everything before copying anything, so a bad state leaves the optimiser as it was.
      const expected = new Set(named.map(({ name }) => name));
      const unexpected = Object.keys(state.buffers).filter((name) => !expected.has(name));
      if (unexpected.length > 0) {
        throw new Error(
          `${where}: unexpected buffer ${unexpected.map((n) => `"${n}"`).join(', ')}; ` +
            `expected only ${describeNames([...expected])}. ` +
            'The state was saved by a different optimiser, optimiser options or model.',
        );
      }
      for (const { name, buffer } of named) {
        const saved = state.buffers[name];
        if (saved === undefined) {
          throw new Error(
            `${where}: buffer "${name}" is missing. ` +
              'The state was saved by a different optimiser, optimiser options or model.',
          );
        }
        if (saved.length !== buffer.length) {
          throw new Error(
            `${where}: buffer "${name}" has ${saved.length} values, expected ${buffer.length} ` +
              '(the size of the parameter). The state belongs to a model of another shape.',
          );
        }
      }
      for (const { name, buffer } of named) buffer.set(state.buffers[name]!);
      stepCount = state.step;
    },
  };
}

function describeNames(names: readonly string[]): string {
  if (names.length === 0) return 'none (this optimiser keeps no buffers with these options)';
  return names.map((n) => `"${n}"`).join(', ');
}

// Buffers are keyed by parameter name, so a clash would silently share state between two
// parameters; a grad of another size would make the update read past its end.
function checkParameters(optimiserType: string, params: readonly Parameter[]): void {
  const seen = new Set<string>();
  for (const param of params) {
    if (seen.has(param.name)) {
      throw new Error(
        `${optimiserType} optimiser: two parameters are named "${param.name}"; ` +
          'parameter names must be unique so optimiser state can be saved and restored.',
      );
    }
    seen.add(param.name);
    if (param.grad.size !== param.value.size || param.grad.dtype !== param.value.dtype) {
      throw new Error(
        `${optimiserType} optimiser: parameter "${param.name}" has ${param.value.size} ${param.value.dtype} values ` +
          `but its grad has ${param.grad.size} ${param.grad.dtype} values; they must match.`,
      );
    }
  }
}
