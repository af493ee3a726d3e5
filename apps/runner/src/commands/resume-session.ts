import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isScratchnetError, type ExperimentConfig } from '@scratchnet/spec';
import { MissingOptimiserStateError, restoreCheckpoint, type Checkpoint } from '@scratchnet/train';
import { displayPath, loadExperiment, loadExperimentFile, type LoadedExperiment } from '../config/load-config.js';
import type { overridesFromFlags } from '../config/overrides.js';
import type { CliIo } from '../context.js';
import { usageError } from '../exit-codes.js';
import type { EpochEvent, Reporter } from '../output/events.js';
import { noUsableCheckpoint, readCheckpoints, setDamagedLatestAside, type CheckpointCandidate } from '../run-dir/checkpoints.js';
import { lockRunDir, removeTempFiles, runPaths, type RunPaths } from '../run-dir/run-dir.js';
import { readRunInfo, truncateMetrics } from '../run-dir/run-info.js';
import { prepareRun, type PreparedRun } from '../training/prepare-run.js';
import type { TrainingOptions } from '../training/run-training.js';

// `runner train --resume`: reopening a run folder, choosing the checkpoint to continue from.

export interface Session {
  readonly run: PreparedRun;
  readonly paths: RunPaths;
  readonly resume?: TrainingOptions['resume'];
  /** The resume checkpoint holds weights only, accepted with --weights-only-ok. */
  readonly resumeWeightsOnly?: boolean;
  readonly previousEpochs: readonly EpochEvent[];
}

export interface ResumeOptions {
  readonly configArg: string | undefined;
  readonly overrides: ReturnType<typeof overridesFromFlags>;
  readonly dataDir: string | undefined;
  /** --plugins: imported instead of the config's plugins. */
  readonly plugins: readonly string[];
  /** --weights-only-ok: a checkpoint without optimiser state may be resumed from. */
  readonly weightsOnly: boolean;
}

export async function openResumed(runDir: string, options: ResumeOptions, io: CliIo, reporter: Reporter): Promise<Session> {
  const { configArg, overrides, dataDir } = options;
  const paths = runPaths(resolve(io.cwd, runDir));
  const { info, configText } = await readRunInfo(paths, runDir);
  await lockRunDir(paths.dir, runDir);
  await removeTempFiles(paths.dir);
  // --threads and --backend choose where the kernels run, not what the run is: the checkpoint
  // fits whatever they say (threads give identical bits; js and wasm differ in the last bits).
  const placement = configArg === undefined ? overrides : [];
  const loaded: LoadedExperiment = await loadExperiment({
    text: configText,
    displayName: displayPath(paths.config, io.cwd),
    configDir: info.configDir,
    overrides: placement,
    ...(options.plugins.length === 0 ? {} : { pluginEntries: { entries: options.plugins, baseDir: io.cwd } }),
    pluginHint: `If the module moved, resume with --plugins NAME|PATH (runner train --resume ${runDir} --plugins ./path/to/plugin.js).`,
  });
  if (configArg !== undefined) {
    const given = await loadExperimentFile(configArg, io.cwd, overrides);
    const differences = differingSections(given.experiment, loaded.experiment);
    if (differences.length > 0) {
      throw usageError(
        `${configArg} differs from the run's config.resolved.yaml (in ${differences.join(', ')}), so the checkpoint does not fit it. ` +
          `Resume with just --resume ${runDir}, or start a new run.`,
      );
    }
  }
  const candidates = await readCheckpoints(paths.checkpoints, runDir, (file) => displayPath(file, io.cwd));
  const run = await prepareRun(loaded, dataDir ?? info.dataDir);
  const { checkpoint: resume, weightsOnly } = chooseCheckpoint(run, candidates, runDir, paths, reporter, (file) => displayPath(file, io.cwd), options.weightsOnly);
  const previousEpochs = await truncateMetrics(paths, resume.epoch);
  return { run, paths, resume, ...(weightsOnly ? { resumeWeightsOnly: true } : {}), previousEpochs };
}

/**
 * The newest checkpoint that verifies and fits the run's network and optimiser (restoring it is
 * the check; fit restores it again). Falling back to previous warns, naming both files, and
 * moves the damaged latest aside so the next rotation does not push the good one out.
 */
function chooseCheckpoint(
  run: PreparedRun,
  candidates: readonly CheckpointCandidate[],
  runDir: string,
  paths: RunPaths,
  reporter: Reporter,
  show: (file: string) => string,
  weightsOnlyOk: boolean,
): { checkpoint: Checkpoint; weightsOnly: boolean } {
  const checked: CheckpointCandidate[] = [];
  for (const candidate of candidates) {
    if ('checkpoint' in candidate) {
      let weightsOnly = false;
      const restore = (options: { weightsOnly: boolean }): void =>
        restoreCheckpoint(run.network, run.parts.optimiser, candidate.checkpoint, run.dataRng, candidate.shown, options);
      try {
        try {
          restore({ weightsOnly: false });
        } catch (error) {
          // An optimiser without state (plain SGD) restores either way; only a missing state needs the flag.
          if (!(error instanceof MissingOptimiserStateError && weightsOnlyOk)) throw error;
          restore({ weightsOnly: true });
          weightsOnly = true;
        }
      } catch (error) {
        if (!isScratchnetError(error)) throw error;
        const problem =
          error instanceof MissingOptimiserStateError
            ? `${candidate.shown}: the optimiser state is missing (the file holds weights only), so the run cannot continue exactly. ` +
              'Pass --weights-only-ok to go on from its weights with a fresh optimiser state.'
            : error.message;
        checked.push({ file: candidate.file, shown: candidate.shown, problem });
        continue;
      }
      if (weightsOnly) {
        reporter.emit({
          event: 'warning',
          message:
            `${candidate.shown} holds weights only: training goes on from them with a fresh optimiser state (--weights-only-ok), ` +
            'so the result will differ from a run that was never stopped.',
        });
      }
      if (checked.length > 0) {
        const latest = checked[0]!;
        const damaged = setDamagedLatestAside(paths.checkpoints);
        reporter.emit({
          event: 'warning',
          message:
            `${'problem' in latest ? latest.problem : `${latest.shown}: unusable.`} ` +
            `Resuming from ${candidate.shown} (epoch ${candidate.checkpoint.epoch}) instead of ${latest.shown}` +
            (damaged === undefined ? '.' : `; the damaged file is kept as ${show(damaged)}.`),
        });
      }
      return { checkpoint: candidate.checkpoint, weightsOnly };
    }
    checked.push(candidate);
  }
  throw noUsableCheckpoint(runDir, checked);
}

/** Whether a resumed run ended its last epoch and wrote summary.json (its last file; a run killed before that resumes to write model/ and it). */
export function finished(session: Session): boolean {
  const position = session.resume;
  return position !== undefined && position.epoch >= session.run.experiment.training.epochs && position.batchInEpoch === 0 && existsSync(session.paths.summary);
}

/** Top-level config sections whose resolved values differ. */
function differingSections(a: ExperimentConfig, b: ExperimentConfig): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => canonical((a as never)[key]) !== canonical((b as never)[key]));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}
