import type { LayerPlugin } from '@scratchnet/spec';
import { createRng, formatShape, shapesEqual } from '@scratchnet/tensor';
import { checkGradients, optionsWithDefaults } from '@scratchnet/testkit';
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

export interface GradientPropertySummary {
  readonly cases: readonly LayerCase[];
  /** Worst relative error over every case. */
  readonly maxRelativeError: number;
  /** Elements compared over every case. */
  readonly checked: number;
}

/** Lines of a failing case's own error shown in the combined message. */
const ERROR_LINES = 8;

/**
 * Runs every case and throws one Error listing each failing case with its seed, the generated
 * case and a checkGradients call that replays it, followed by the start of its error, so a
 * failure in CI can be reproduced without rerunning the generator.
 */
export function checkGradientProperty<O>(
  plugin: LayerPlugin<O>,
  generate: CaseGenerator,
  property: GradientPropertyOptions,
): GradientPropertySummary {
  const tolerance = property.tolerance ?? 1e-6;
  const name = property.pluginName ?? plugin.type;
  const cases: LayerCase[] = [];
  const failures: string[] = [];
  let maxRelativeError = 0;
  let checked = 0;
  for (let i = 0; i < property.count; i++) {
    const seed = property.firstSeed + i;
    const testCase = generate(createRng(seed));
    cases.push(testCase);
    const { options, inputShape, batch, mode } = testCase;
    try {
      if (testCase.outputShape !== undefined) {
        const actual = plugin.outputShape(inputShape, optionsWithDefaults(plugin, options as Partial<O>));
        if (!shapesEqual(actual, testCase.outputShape)) {
          throw new Error(`outputShape() returned ${formatShape(actual)}; the generator derived ${formatShape(testCase.outputShape)}.`);
        }
      }
      const report = checkGradients(plugin, options as Partial<O>, { inputShape, batch, mode, seeds: [seed], tolerance });
      maxRelativeError = Math.max(maxRelativeError, report.maxRelativeError);
      checked += report.checked;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const excerpt = message.split('\n').slice(0, ERROR_LINES).map((line) => `    ${line}`);
      failures.push(
        `  case ${i}, seed ${seed}: ${describeCase(testCase)}\n` +
          `    replay: checkGradients(${name}, ${JSON.stringify(options)}, ` +
          `{ inputShape: ${formatShape(inputShape)}, batch: ${batch}, mode: '${mode}', seeds: [${seed}], tolerance: ${tolerance} })\n` +
          excerpt.join('\n'),
      );
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `gradient property (${name}): ${failures.length} of ${property.count} generated cases failed ` +
        `(seeds ${property.firstSeed}..${property.firstSeed + property.count - 1}):\n${failures.join('\n')}`,
    );
  }
  return { cases, maxRelativeError, checked };
}

/** One line naming everything that defines a case. */
export function describeCase(testCase: LayerCase): string {
  const output = testCase.outputShape === undefined ? '' : ` -> ${formatShape(testCase.outputShape)}`;
  return `${JSON.stringify(testCase.options)} on [${testCase.batch}, ...${formatShape(testCase.inputShape)}]${output}, ${testCase.mode} mode`;
}
