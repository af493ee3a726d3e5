import { createRng, type Rng } from '@scratchnet/tensor';

/** What one seeded case of a property check reports (the gradient checks' report fits). */
export interface CaseReport {
  readonly maxRelativeError: number;
  readonly checked: number;
}

export interface SeededCases<C> {
  /** Named in the failure message, e.g. the plugin id. */
  readonly name: string;
  /** Cases to run; case i uses seed firstSeed + i. */
  readonly count: number;
  readonly firstSeed: number;
  /** Builds case i from a fresh createRng(seed). */
  generate(rng: Rng): C;
  /** Checks one case; throws when it fails. */
  check(testCase: C, seed: number): CaseReport;
  /** One line naming everything that defines a case. */
  describe(testCase: C): string;
  /** A call that reruns the case alone, printed with a failure. */
  replay(testCase: C, seed: number): string;
}

export interface SeededCasesSummary<C> {
  readonly cases: readonly C[];
  /** Worst relative error over every case. */
  readonly maxRelativeError: number;
  /** Elements compared over every case. */
  readonly checked: number;
}

/** Lines of a failing case's own error shown in the combined message. */
const ERROR_LINES = 8;

/**
 * A property check over seeded random cases: runs every case and throws one Error listing each
 * failing case with its seed, the case and a call that replays it, followed by the start of its
 * own error, so a failure in CI can be reproduced without rerunning the generator.
 */
export function checkSeededCases<C>(spec: SeededCases<C>): SeededCasesSummary<C> {
  const cases: C[] = [];
  const failures: string[] = [];
  let maxRelativeError = 0;
  let checked = 0;
  for (let i = 0; i < spec.count; i++) {
    const seed = spec.firstSeed + i;
    const testCase = spec.generate(createRng(seed));
    cases.push(testCase);
    try {
      const report = spec.check(testCase, seed);
      maxRelativeError = Math.max(maxRelativeError, report.maxRelativeError);
      checked += report.checked;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(
        `  case ${i}, seed ${seed}: ${spec.describe(testCase)}\n    replay: ${spec.replay(testCase, seed)}\n` +
          message.split('\n').slice(0, ERROR_LINES).map((line) => `    ${line}`).join('\n'),
      );
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `gradient property (${spec.name}): ${failures.length} of ${spec.count} generated cases failed ` +
        `(seeds ${spec.firstSeed}..${spec.firstSeed + spec.count - 1}):\n${failures.join('\n')}`,
    );
  }
  return { cases, maxRelativeError, checked };
}
