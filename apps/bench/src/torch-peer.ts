import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Mnist } from './mnist.js';
import type { Recipe } from './recipes.js';
import { type Summary, summarise } from './stats.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../python/torch_peer.py', import.meta.url));
/**
 * Debian's python3-torch lives in the system interpreter; the `python3` on PATH may be another
 * one (pyenv) without it.
 */
export const TORCH_PYTHON = '/usr/bin/python3';
export const TORCH_INSTALL = 'install it with `apt-get install python3-torch libopenblas0-pthread`';

export interface TorchRun {
  readonly seconds: number;
  readonly samples: number;
  readonly samplesPerSecond: number;
  readonly testAccuracy: number;
}

export type TorchResult =
  | {
      readonly available: true;
      readonly torch: string;
      readonly python: string;
      readonly blas: string;
      /** torch.get_num_threads() during training (OPENBLAS_NUM_THREADS is set to the same). */
      readonly threads: number;
      /** libgomp's OMP_WAIT_POLICY (PASSIVE unless set in the environment). */
      readonly ompWaitPolicy: string;
      readonly samplesPerSecond: Summary;
      readonly testAccuracy: number;
      readonly runs: readonly TorchRun[];
    }
  | { readonly available: false; readonly reason: string };

const lastLine = (error: unknown): string => {
  const message = (error as { stderr?: string }).stderr || (error as Error).message;
  return message.trim().split('\n').pop() ?? '';
};

/** Why PyTorch cannot run here, or undefined when `/usr/bin/python3 -c "import torch"` works. */
export async function torchUnavailable(): Promise<string | undefined> {
  try {
    await run(TORCH_PYTHON, ['-c', 'import torch, numpy']);
    return undefined;
  } catch (error) {
    return `${TORCH_INSTALL} (${TORCH_PYTHON} -c "import torch, numpy" failed: ${lastLine(error)})`;
  }
}

/** Runs python/torch_peer.py for one recipe on `threads` threads (torch's and OpenBLAS's). */
export async function trainTorch(
  recipe: Recipe,
  mnist: Mnist,
  options: { repetitions: number; samples: number; warmupSamples: number; threads: number; seed: number },
): Promise<TorchResult> {
  const args = { recipe, files: mnist.files, ...options };
  try {
    const { stdout } = await run(TORCH_PYTHON, [SCRIPT, JSON.stringify(args)], { maxBuffer: 1 << 20 });
    const parsed = JSON.parse(stdout) as { torch: string; python: string; blas: string; threads: number; ompWaitPolicy: string; runs: TorchRun[] };
    return {
      available: true,
      ...parsed,
      samplesPerSecond: summarise(parsed.runs.map((r) => r.samplesPerSecond)),
      testAccuracy: summarise(parsed.runs.map((r) => r.testAccuracy)).median,
    };
  } catch (error) {
    return { available: false, reason: `torch_peer.py failed: ${lastLine(error)}` };
  }
}
