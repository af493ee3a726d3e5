import type { LossPlugin } from '@scratchnet/spec';
import type { Rng } from '@scratchnet/tensor';
import { type LossGradientCheckOptions, type SeededCasesSummary, checkLossGradients, checkSeededCases } from '@scratchnet/testkit';

/**
 * Seeded random cases for the losses' property-based gradient checks (gradients.property.test.ts;
 * excluded from the build by the `test-*` pattern). fast-check is not in the lockfile, so cases
 * come from @scratchnet/tensor's Rng: one case per seed, replayable from the failure message.
 */

/** One generated case: the loss options and the shape and range of the predictions. */
export interface LossCase {
  readonly options: Record<string, unknown>;
  readonly check: Omit<LossGradientCheckOptions, 'seeds' | 'tolerance'>;
}

export type LossCaseGenerator = (rng: Rng) => LossCase;

/** An integer in [low, high]. */
const intIn = (rng: Rng, low: number, high: number): number => low + rng.int(high - low + 1);

/** Batch 1..5 and 1..10 classes (1 class is legal: every label is 0). */
function predictions(rng: Rng): { batch: number; classes: number } {
  return { batch: intIn(rng, 1, 5), classes: intIn(rng, 1, 10) };
}

/**
 * Squared-error losses take any real predictions: probabilities in [0.05, 0.95] (as after a
 * sigmoid) or scores of any sign.
 */
const squaredErrorCase: LossCaseGenerator = (rng) => ({
  options: {},
  check: rng.next() < 0.5 ? { ...predictions(rng), probabilities: true } : { ...predictions(rng), logitsScale: rng.uniform(0.5, 5) },
});

/** Generators by loss type; every built-in loss needs one. */
export const lossCases = {
  quadratic: squaredErrorCase,
  'sum-squared-error': squaredErrorCase,
  // Logits up to ±5: larger ones give class gradients ~e^-10 whose central differences are
  // dominated by the rounding of a loss of order 10, not by the backward being checked.
  'softmax-cross-entropy': (rng) => ({
    options: { labelSmoothing: rng.next() < 0.4 ? 0 : rng.uniform(0, 0.9) },
    check: { ...predictions(rng), logitsScale: rng.uniform(0.5, 5) },
  }),
} satisfies Record<string, LossCaseGenerator>;

export type LossPropertySummary = SeededCasesSummary<LossCase>;

/**
 * Runs `count` cases (case i: seed firstSeed + i, for the generator and checkLossGradients);
 * checkSeededCases throws one Error listing each failing case with its seed and a replay call.
 */
export function checkLossGradientProperty<O>(
  plugin: LossPlugin<O>,
  generate: LossCaseGenerator,
  property: { readonly count: number; readonly firstSeed: number; readonly tolerance?: number },
): LossPropertySummary {
  const tolerance = property.tolerance ?? 1e-6;
  const withSeed = (testCase: LossCase, seed: number) => ({ ...testCase.check, seeds: [seed], tolerance });
  return checkSeededCases<LossCase>({
    name: plugin.type,
    count: property.count,
    firstSeed: property.firstSeed,
    generate,
    check: (testCase, seed) => checkLossGradients(plugin, testCase.options as Partial<O>, withSeed(testCase, seed)),
    describe: describeLossCase,
    replay: (testCase, seed) => `checkLossGradients(${plugin.type}, ${JSON.stringify(testCase.options)}, ${JSON.stringify(withSeed(testCase, seed))})`,
  });
}

/** One line naming everything that defines a case. */
export function describeLossCase({ options, check }: LossCase): string {
  const range = check.probabilities ? 'probabilities in [0.05, 0.95]' : `logits in ±${check.logitsScale}`;
  return `${JSON.stringify(options)} on [${check.batch}, ${check.classes}] ${range}`;
}
