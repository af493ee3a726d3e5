import type { LayerPlugin, Mode } from '@scratchnet/spec';
import { type Backend, type Shape, Tensor, createRng, formatShape } from '@scratchnet/tensor';
import { createTestContext, optionsWithDefaults } from './build-context.js';
import { kinkGap } from './check-gradients.js';
import { type PassValues, checkBufferedPasses, runPass } from './layer-passes.js';
import { formatIndex, uniformTensor } from './random-tensors.js';

export interface BatchInvarianceOptions {
  /** Per-sample input shape. */
  readonly inputShape: Shape;
  /** Samples in the batch (default 5). */
  readonly batch?: number;
  /** Seed of the layer's context and of the data (default 1). */
  readonly seed?: number;
  /**
   * Default 'eval'. In 'train' mode the rng state is restored before every forward, which only
   * matches for layers whose randomness does not depend on the batch size.
   */
  readonly mode?: Mode;
  /** Largest allowed |a - b| / max(1, |a|, |b|) (default 1e-10; float64 throughout). */
  readonly tolerance?: number;
  /** Random inputs keep |x| >= 0.05 unless false (or another gap as a number). */
  readonly keepAwayFromKinks?: boolean | number;
  /** Default: the JS reference backend. */
  readonly backend?: Backend;
  /**
   * Also run the passes given one `createLayerBuffers(backend)` (default true): the batch, then
   * each sample alone, then the batch again, each equal to the same pass without buffers within
   * `tolerance` — so buffers of one batch size never leak into another.
   */
  readonly buffers?: boolean;
}

export interface BatchMismatch {
  /** `output`, `inputGrad` or a parameter name. */
  readonly what: string;
  /** Sample row, or undefined for summed parameter gradients. */
  readonly sample: number | undefined;
  readonly position: string;
  readonly batched: number;
  readonly single: number;
  readonly difference: number;
}

export interface BatchInvarianceReport {
  readonly compared: number;
  readonly maxDifference: number;
  /** The largest differences, worst first (at most 5). */
  readonly worst: readonly BatchMismatch[];
}

/**
 * Checks that one forward/backward over a batch of N equals N single-sample passes: outputs and
 * input gradients row by row, parameter gradients against the sum of the single-sample ones.
 * Catches layers that mix samples, index rows wrongly or keep state between calls. Same layer
 * instance for every pass (float64); backward gets a fixed random dLoss/dOutput. Then the same
 * passes run given LayerBuffers (see `buffers`). Returns a report; throws an Error naming the
 * worst values when any difference exceeds the tolerance.
 */
export function checkBatchInvariance<O>(
  plugin: LayerPlugin<O>,
  options: Partial<O>,
  check: BatchInvarianceOptions,
): BatchInvarianceReport {
  const seed = check.seed ?? 1;
  const batch = check.batch ?? 5;
  const mode = check.mode ?? 'eval';
  const tolerance = check.tolerance ?? 1e-10;
  const full = optionsWithDefaults(plugin, options);
  const context = createTestContext({ inputShape: check.inputShape, seed, dtype: 'float64', backend: check.backend });
  const layer = plugin.create(full, context);
  const dataRng = createRng(seed).fork();
  const input = uniformTensor(dataRng, [batch, ...check.inputShape], -2, 2, kinkGap(check.keepAwayFromKinks));
  const outputShape = [batch, ...plugin.outputShape(check.inputShape, full)];
  const outputGrad = uniformTensor(dataRng, outputShape, -1, 1);
  const rngState = context.rng.state();
  const names = Object.keys(layer.params);
  const what = `checkBatchInvariance(${plugin.type})`;
  const setup = { what, layer, mode, beforeForward: () => context.rng.setState(rngState) };

  const pass = (x: Tensor, dy: Tensor) => {
    const { output, inputGrad, grads } = runPass(setup, x, dy);
    if (inputGrad === undefined) {
      throw new Error(`${what}: backward returned undefined, but the layer was not built with inputGradient: false. Return dLoss/dInput.`);
    }
    return { output, inputGrad, grads };
  };

  const whole = pass(input.clone(), outputGrad.clone());
  const singles: PassValues[] = [];
  const summed = Object.fromEntries(names.map((name) => [name, Tensor.zeros(layer.params[name]!.shape, 'float64')]));
  const mismatches: BatchMismatch[] = [];
  let compared = 0;
  let maxDifference = 0;
  const compare = (name: string, sample: number | undefined, shape: Shape, batched: Tensor, single: Tensor) => {
    if (batched.size !== single.size) {
      throw new Error(
        `${what}: ${name} has ${batched.size} values per sample in the batch ` +
          `but ${single.size} for a single sample ${formatShape(single.shape)}.`,
      );
    }
    for (let i = 0; i < single.size; i++) {
      const a = batched.data[i]!;
      const b = single.data[i]!;
      const difference = Number.isNaN(a) || Number.isNaN(b) ? Infinity : Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
      compared++;
      maxDifference = Math.max(maxDifference, difference);
      if (difference > tolerance) {
        mismatches.push({ what: name, sample, position: formatIndex(shape, i), batched: a, single: b, difference });
      }
    }
  };

  for (let s = 0; s < batch; s++) {
    const one = pass(input.sliceRows(s, s + 1).clone(), outputGrad.sliceRows(s, s + 1).clone());
    singles.push(one);
    compare('output', s, outputShape.slice(1), whole.output.sliceRows(s, s + 1), one.output);
    compare('inputGrad', s, check.inputShape, whole.inputGrad.sliceRows(s, s + 1), one.inputGrad);
    for (const name of names) {
      const total = summed[name]!.data;
      const grad = one.grads[name]!.data;
      for (let i = 0; i < total.length; i++) total[i] = total[i]! + grad[i]!;
    }
  }
  for (const name of names) compare(name, undefined, layer.params[name]!.shape, whole.grads[name]!, summed[name]!);

  mismatches.sort((a, b) => b.difference - a.difference);
  const report: BatchInvarianceReport = { compared, maxDifference, worst: mismatches.slice(0, 5) };
  if (mismatches.length > 0) {
    const rows = report.worst.map(
      (m) =>
        `  ${m.what}${m.sample === undefined ? ' (summed over samples)' : ` sample ${m.sample}`} ${m.position}: ` +
        `batch ${m.batched.toPrecision(8)}, single ${m.single.toPrecision(8)}`,
    );
    throw new Error(
      `${what}: a batch of ${batch} differs from ${batch} single-sample passes in ` +
        `${mismatches.length} values (max difference ${maxDifference.toExponential(2)} > tolerance ${tolerance.toExponential()}):\n` +
        `${rows.join('\n')}\nEach sample's result must depend only on its own row.`,
    );
  }
  if (check.buffers !== false) {
    const row = (t: Tensor, s: number) => t.sliceRows(s, s + 1);
    const cases = [
      { x: input, dy: outputGrad, label: `the batch of ${batch} given buffers`, expected: whole },
      ...singles.map((expected, s) => ({
        x: row(input, s),
        dy: row(outputGrad, s),
        label: `sample ${s} alone, given the buffers the batch of ${batch} used`,
        expected,
      })),
      { x: input, dy: outputGrad, label: `the batch of ${batch} again, after the single samples, given the same buffers`, expected: whole },
    ];
    checkBufferedPasses(setup, context.backend, cases, tolerance);
  }
  return report;
}
