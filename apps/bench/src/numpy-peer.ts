import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Mnist } from './mnist.js';
import type { Recipe } from './recipes.js';
import { type Summary, summarise } from './stats.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../python/mlp_numpy.py', import.meta.url));

export interface NumpyRun {
  readonly seconds: number;
  readonly samples: number;
  readonly samplesPerSecond: number;
  readonly testAccuracy: number;
}

export type NumpyResult =
  | {
      readonly available: true;
      readonly numpy: string;
      readonly python: string;
      readonly blas: string;
      /** OPENBLAS_NUM_THREADS as the script saw it (null: unset, OpenBLAS uses every core). */
      readonly openblasNumThreads: string | null;
      readonly samplesPerSecond: Summary;
      readonly testAccuracy: number;
      readonly runs: readonly NumpyRun[];
    }
  | { readonly available: false; readonly reason: string };

/** Why numpy cannot run here, or undefined when `python3 -c "import numpy"` works. */
export async function numpyUnavailable(): Promise<string | undefined> {
  try {
    await run('python3', ['-c', 'import numpy']);
    return undefined;
  } catch (error) {
    const message = (error as { stderr?: string; message?: string }).stderr || (error as Error).message;
    return `python3 -c "import numpy" failed: ${message.trim().split('\n').pop()}`;
  }
}

/** Runs python/mlp_numpy.py for one recipe; `threads` sets OPENBLAS_NUM_THREADS (undefined: leave unset). */
export async function trainNumpy(
  recipe: Recipe,
  mnist: Mnist,
  options: { repetitions: number; samples: number; warmupSamples: number; threads?: number; seed: number },
): Promise<NumpyResult> {
  const env = { ...process.env };
  delete env.OPENBLAS_NUM_THREADS;
  if (options.threads !== undefined) env.OPENBLAS_NUM_THREADS = String(options.threads);
  const args = { recipe, files: mnist.files, seed: options.seed, repetitions: options.repetitions, samples: options.samples, warmupSamples: options.warmupSamples };
  try {
    const { stdout } = await run('python3', [SCRIPT, JSON.stringify(args)], { env, maxBuffer: 1 << 20 });
    const parsed = JSON.parse(stdout) as { numpy: string; python: string; blas: string; openblasNumThreads: string | null; runs: NumpyRun[] };
    const accuracies = parsed.runs.map((r) => r.testAccuracy);
    return {
      available: true,
      ...parsed,
      samplesPerSecond: summarise(parsed.runs.map((r) => r.samplesPerSecond)),
      testAccuracy: summarise(accuracies).median,
    };
  } catch (error) {
    const message = (error as { stderr?: string }).stderr || (error as Error).message;
    return { available: false, reason: `mlp_numpy.py failed: ${message.trim()}` };
  }
}
