import { displayPath } from '../config/load-config.js';
import type { CliIo } from '../context.js';
import type { Reporter } from '../output/events.js';
import type { RunPaths } from '../run-dir/run-dir.js';
import { recordOutcome, type RunInfo, type RunOutcome } from '../run-dir/run-info.js';
import type { PreparedRun } from '../training/prepare-run.js';
import type { TrainingOutcome } from '../training/run-training.js';
import { writeRunReport } from './write-report.js';

/**
 * The end of every training process, however training ended: run.json records how (the one
 * place a divergence's message survives the process), then report.html is rebuilt from the
 * folder, exactly as `runner report` would. Neither may turn a finished training into a failure:
 * a problem here is a warning, and the training's exit code stands. Returns the report's path
 * as shown to the user, when it was written.
 */
export async function finishRun(
  paths: RunPaths,
  outcome: TrainingOutcome,
  run: PreparedRun,
  reporter: Reporter,
  io: CliIo,
): Promise<string | undefined> {
  const warn = (message: string): void => reporter.emit({ event: 'warning', message });
  try {
    await recordOutcome(paths, runOutcome(outcome), kernelsOf(run));
  } catch (error) {
    warn(`could not record how the run ended in ${paths.info}: ${(error as Error).message}`);
  }
  try {
    const { file, warnings } = await writeRunReport(paths.dir, { cwd: io.cwd, env: io.env, loaded: run.loaded });
    for (const message of warnings) warn(`report.html: ${message}`);
    return displayPath(file, io.cwd);
  } catch (error) {
    warn(`report.html was not written: ${(error as Error).message} (runner report RUN_DIR tries again).`);
    return undefined;
  }
}

/** The kernels a run's network computes with, as the start event names them. */
export const kernelsOf = (run: PreparedRun): RunInfo['kernels'] => ({
  backend: run.network.backend.name,
  threads: threadsOf(run),
  parallelism: run.parallel.mode,
});

/** Threads a run's steps keep busy: the data-parallel workers, or the backend's. */
export const threadsOf = (run: PreparedRun): number =>
  run.parallel.mode === 'data' ? Math.min(run.parallel.threads, run.parallel.shards) : run.network.backend.threads;

function runOutcome(outcome: TrainingOutcome): RunOutcome {
  const endedAt = new Date().toISOString();
  switch (outcome.status) {
    case 'completed':
      return { status: 'completed', endedAt, epoch: outcome.summary.epochs };
    case 'aborted':
      return { status: 'interrupted', endedAt, epoch: outcome.checkpoint.epoch, batchInEpoch: outcome.checkpoint.batchInEpoch };
    case 'diverged':
      return { status: 'diverged', endedAt, epoch: outcome.lastGoodEpoch, message: outcome.error.message };
  }
}
