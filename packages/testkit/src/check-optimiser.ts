import type { Optimiser, OptimiserPlugin, Parameter } from '@scratchnet/spec';
import { type Backend, type DType, Tensor, createJsBackend, createRng } from '@scratchnet/tensor';
import { optionsWithDefaults } from './build-context.js';
import { sameValues } from './random-tensors.js';

export interface OptimiserResumeOptions {
  /** Steps of the uninterrupted run (default 8). */
  readonly steps?: number;
  /** The interrupted run saves state() after this many steps (default 3). */
  readonly split?: number;
  /** Parameter dtypes to run with (default both, float32 then float64). */
  readonly dtypes?: readonly DType[];
  /** Default: the JS reference backend. */
  readonly backend?: Backend;
}

export interface OptimiserResumeReport {
  /** Buffer names in the saved state, e.g. `layers.0.weight.velocity`. */
  readonly buffers: readonly string[];
  /** Largest change of any weight over the uninterrupted run (0 would mean it never moved). */
  readonly maxChange: number;
}

// A decayed weight and a bias without decay, so both `decay` settings are exercised.
function model(dtype: DType): Parameter[] {
  const rng = createRng(2024);
  const make = (name: string, shape: number[], decay: boolean): Parameter => {
    const value = Tensor.zeros(shape, dtype);
    for (let i = 0; i < value.size; i++) value.data[i] = rng.normal(0, 1);
    return { name, value, grad: Tensor.zeros(shape, dtype), decay };
  };
  return [make('layers.0.weight', [3, 4], true), make('layers.0.bias', [4], false)];
}

// Gradients depend on the current weights (plus seeded noise), so state lost in a restore
// changes every later step instead of hiding behind a constant gradient.
function train(optimiser: Optimiser, params: readonly Parameter[], from: number, to: number): void {
  for (let step = from; step < to; step++) {
    const rng = createRng(1000 + step);
    for (const { value, grad } of params) {
      for (let i = 0; i < value.size; i++) grad.data[i] = value.data[i]! - 0.5 + rng.normal(0, 0.3);
    }
    // The rate changes every step, as it does under a schedule.
    optimiser.step(0.05 / (1 + 0.1 * step));
  }
}

const copyParams = (params: readonly Parameter[]): Parameter[] =>
  params.map((param) => ({ ...param, value: param.value.clone(), grad: param.grad.clone() }));

/**
 * Checks what `runner train --resume` relies on: training `steps` steps equals training `split`
 * steps, saving `state()`, loading it into a new optimiser over copies of the parameters and
 * training the rest — value for value. Also fails when `state().step` is not the number of steps
 * taken, when `state()` returns buffers that later steps change (a checkpoint must be a
 * snapshot), when `loadState` keeps and changes the arrays it was given, or when the optimiser
 * does not move the weights at all. Throws an Error naming the first difference.
 */
export function checkOptimiserResume<O>(
  plugin: OptimiserPlugin<O>,
  options: Partial<O>,
  check: OptimiserResumeOptions = {},
): OptimiserResumeReport {
  const steps = check.steps ?? 8;
  const split = check.split ?? 3;
  const backend = check.backend ?? createJsBackend();
  const what = `checkOptimiserResume(${plugin.type})`;
  if (!(Number.isInteger(split) && split >= 1 && split < steps)) {
    throw new RangeError(`${what}: split must be an integer in [1, steps), got split ${split} with steps ${steps}.`);
  }
  const create = (params: readonly Parameter[]): Optimiser => plugin.create(optionsWithDefaults(plugin, options), { params, backend });
  let buffers: string[] = [];
  let maxChange = 0;

  for (const dtype of check.dtypes ?? (['float32', 'float64'] as const)) {
    const fail = (message: string): never => {
      throw new Error(`${what} (${dtype} parameters): ${message}`);
    };
    const straight = model(dtype);
    const initial = copyParams(straight);
    const uninterrupted = create(straight);
    train(uninterrupted, straight, 0, steps);

    const first = model(dtype);
    const before = create(first);
    train(before, first, 0, split);
    const saved = before.state();
    if (saved.step !== split) fail(`state().step is ${saved.step} after ${split} steps; count every step() call.`);
    const snapshot = Object.fromEntries(Object.entries(saved.buffers).map(([name, buffer]) => [name, buffer.slice()]));
    const resumed = copyParams(first);
    train(before, first, split, split + 1);
    for (const [name, buffer] of Object.entries(saved.buffers)) {
      if (!sameValues(buffer, snapshot[name]!)) fail(`buffer "${name}" of a saved state() changed when training went on; state() must return copies.`);
    }

    const after = create(resumed);
    after.loadState(saved);
    train(after, resumed, split, steps);
    for (const [name, buffer] of Object.entries(saved.buffers)) {
      if (!sameValues(buffer, snapshot[name]!)) fail(`loadState() kept buffer "${name}" and changed it; copy the values into the optimiser's own buffers.`);
    }
    straight.forEach((param, p) => {
      if (!sameValues(resumed[p]!.value.data, param.value.data)) {
        fail(
          `after state() at step ${split} and loadState() into a new optimiser, "${param.name}" differs from the uninterrupted run at step ${steps}. ` +
            'Everything the update uses between steps (moments, step count, ...) must be in state() and restored by loadState().',
        );
      }
      for (let i = 0; i < param.value.size; i++) maxChange = Math.max(maxChange, Math.abs(param.value.data[i]! - initial[p]!.value.data[i]!));
    });
    const end = uninterrupted.state();
    const restoredEnd = after.state();
    if (restoredEnd.step !== steps) fail(`state().step after loadState() and ${steps - split} more steps is ${restoredEnd.step}, expected ${steps}.`);
    buffers = Object.keys(end.buffers);
    if (Object.keys(restoredEnd.buffers).join() !== buffers.join()) {
      fail(`the resumed optimiser's state() has buffers ${Object.keys(restoredEnd.buffers).join(', ') || '(none)'}, the uninterrupted one ${buffers.join(', ') || '(none)'}.`);
    }
    for (const name of buffers) {
      if (!sameValues(restoredEnd.buffers[name]!, end.buffers[name]!)) fail(`buffer "${name}" differs between the resumed and the uninterrupted run.`);
    }
  }
  if (maxChange === 0) throw new Error(`${what}: ${steps} steps with non-zero gradients left every weight unchanged; step() must update param.value in place.`);
  return { buffers, maxChange };
}
