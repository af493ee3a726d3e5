import type { LayerPlugin } from '@scratchnet/spec';
import { formatShape, shapesEqual } from '@scratchnet/tensor';
import { checkGradients, checkSeededCases, optionsWithDefaults, type SeededCasesSummary } from '@scratchnet/testkit';
import type { CaseGenerator, LayerCase } from './test-cases.js';

/**
 * The property behind gradients.property.test.ts (test-only, excluded from the build): for
 * `count` generated cases, the plugin's outputShape equals the shape the generator derived, and
 * checkGradients (float64 central differences, eps 1e-6) passes at `tolerance`.
 */
export interface GradientPropertyOptions {
  /** Cases to generate; case i uses seed firstSeed + i for both the generator and checkGradients. */
  readonly count: number;
  readonly firstSeed: number;
  /** checkGradients' tolerance (default 1e-6, the criterion of the fixed-shape checks). */
  readonly tolerance?: number;
  /** How the plugin is written in the replay line of a failure (default its type). */
  readonly pluginName?: string;
}

export type GradientPropertySummary = SeededCasesSummary<LayerCase>;

/**
 * Runs every case (checkSeededCases: one Error listing each failing case with its seed, the case
 * and a checkGradients call that replays it). A case with a derived output shape also checks the
 * plugin's outputShape against it.
 */
export function checkGradientProperty<O>(
  plugin: LayerPlugin<O>,
  generate: CaseGenerator,
  property: GradientPropertyOptions,
): GradientPropertySummary {
  const tolerance = property.tolerance ?? 1e-6;
  const name = property.pluginName ?? plugin.type;
  return checkSeededCases<LayerCase>({
    name,
    count: property.count,
    firstSeed: property.firstSeed,
    generate,
    check(testCase, seed) {
      const { options, inputShape, batch, mode } = testCase;
      if (testCase.outputShape !== undefined) {
        const actual = plugin.outputShape(inputShape, optionsWithDefaults(plugin, options as Partial<O>));
        if (!shapesEqual(actual, testCase.outputShape)) {
          throw new Error(`outputShape() returned ${formatShape(actual)}; the generator derived ${formatShape(testCase.outputShape)}.`);
        }
      }
      return checkGradients(plugin, options as Partial<O>, { inputShape, batch, mode, seeds: [seed], tolerance });
    },
    describe: describeCase,
    replay: ({ options, inputShape, batch, mode }, seed) =>
      `checkGradients(${name}, ${JSON.stringify(options)}, ` +
      `{ inputShape: ${formatShape(inputShape)}, batch: ${batch}, mode: '${mode}', seeds: [${seed}], tolerance: ${tolerance} })`,
  });
}

/** One line naming everything that defines a case. */
export function describeCase(testCase: LayerCase): string {
  const output = testCase.outputShape === undefined ? '' : ` -> ${formatShape(testCase.outputShape)}`;
  return `${JSON.stringify(testCase.options)} on [${testCase.batch}, ...${formatShape(testCase.inputShape)}]${output}, ${testCase.mode} mode`;
}
