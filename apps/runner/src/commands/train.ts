import { resolve } from 'node:path';
import { shapeSize } from '@scratchnet/tensor';
import { parseArgs } from '../args.js';
import { displayPath, loadExperimentFile } from '../config/load-config.js';
import { overridesFromFlags } from '../config/overrides.js';
import { createReporter, dataDirOf, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { PLUGINS_FLAG } from '../model-plugins.js';
import type { Reporter } from '../output/events.js';
import { createRunDir, unlockRunDir } from '../run-dir/run-dir.js';
import { machineInfo, recordOutcome, writeRunStart } from '../run-dir/run-info.js';
import { finishRun, kernelsOf, threadsOf } from '../report/after-training.js';
import { packageVersions } from '../run-dir/versions.js';
import { initFromModel } from '../training/init-from.js';
import { prepareRun } from '../training/prepare-run.js';
import { runTraining, type TrainingOutcome } from '../training/run-training.js';
import { COMMON_FLAGS, CONFIG_FLAGS, DATA_DIR_FLAG, type Command } from './command.js';
import { finished, openResumed, type Session } from './resume-session.js';

const flags = {
  ...CONFIG_FLAGS,
  ...DATA_DIR_FLAG,
  out: { type: 'string', value: 'DIR', description: 'run directory (default: runs/<name>-<timestamp>)' },
  overwrite: { type: 'boolean', description: 'replace the files of an earlier run in --out DIR' },
  resume: { type: 'string', value: 'RUN_DIR', description: 'continue the run in RUN_DIR from its last checkpoint' },
  'init-from': { type: 'string', value: 'MODEL_DIR', description: "start from a model folder's weights (fine-tuning); the config's model must match it" },
  'weights-only-ok': {
    type: 'boolean',
    description: 'with --resume: accept a checkpoint without optimiser state and go on from its weights (not bit-identical)',
  },
  ...PLUGINS_FLAG,
  ...COMMON_FLAGS,
} as const;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train the network a config describes (runner CONFIG is the same)',
  usage: ['train CONFIG [--set PATH=VALUE]... [--seed N] [--backend KIND] [--threads N] [--out DIR] [--overwrite] [--init-from MODEL_DIR] [--json]', 'train --resume RUN_DIR [--threads N] [--backend KIND] [--plugins NAME|PATH]... [--weights-only-ok] [--json]'],
  flags,
  details: `The run directory receives config.resolved.yaml and run.json (before epoch 1), metrics.jsonl
(one line per epoch), checkpoints/ (latest.safetensors written atomically after every epoch, the one
before kept as previous.safetensors; also a loadable model),
model/ (model.json, weights.safetensors, input.json), evaluation.json (test figures) and summary.json;
then report.html, however training ended (runner report RUN_DIR rebuilds it). Ctrl-C stops at the next
batch, writes a checkpoint and prints the command that resumes it; the resumed run ends with the
same weights, bit for bit, as one that was never stopped. --resume falls back to
previous.safetensors, with a warning, when latest.safetensors fails its SHA-256 or other checks.
A resumed run imports the plugins its config lists, from where the config was; --plugins
imports these instead (paths relative to the working folder), e.g. after moving the run.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const startedAt = performance.now();
    const { flags: options, positionals } = parseArgs(argv, flags, 'train');
    const configArg = positionals[0];
    if (positionals.length > 1) throw usageError(`runner train takes one CONFIG file, got ${positionals.length}: ${positionals.join(' ')}.`);
    if (configArg === undefined && options.resume === undefined) {
      throw usageError('runner train needs a CONFIG file (or --resume RUN_DIR). See runner train --help.');
    }
    const reporter = createReporter(io, options.json);
    const dataDir = dataDirOf(options['data-dir'], io);
    const overrides = overridesFromFlags(options);
    if (options['weights-only-ok'] && options.resume === undefined) {
      throw usageError('--weights-only-ok goes with --resume RUN_DIR: it accepts a checkpoint without optimiser state.');
    }
    if (options.plugins.length > 0 && options.resume === undefined) {
      throw usageError('--plugins goes with --resume; a new run imports the plugins its config lists under plugins:.');
    }

    let session: Session;
    if (options.resume !== undefined && options['init-from'] !== undefined) {
      throw usageError('--init-from starts a new run from a model folder; --resume continues a run from its own checkpoint. Give one of them.');
    }
    if (options.resume !== undefined) {
      if (options.out !== undefined || options.overwrite) {
        throw usageError('--resume continues RUN_DIR in place; leave out --out and --overwrite.');
      }
      if (configArg === undefined && (options.set.length > 0 || options.seed !== undefined)) {
        throw usageError('--set and --seed cannot change a resumed run (it continues with the config it was started with, so its weights match it). Start a new run instead.');
      }
      try {
        session = await openResumed(options.resume, { configArg, overrides, dataDir, plugins: options.plugins, weightsOnly: options['weights-only-ok'] }, io, reporter);
      } catch (error) {
        await unlockRunDir(resolve(io.cwd, options.resume));
        throw error;
      }
      if (finished(session)) {
        await unlockRunDir(session.paths.dir);
        const shown = displayPath(session.paths.dir, io.cwd);
        reporter.note(
          `${shown} already finished all ${session.run.experiment.training.epochs} epochs: nothing to resume. Its model is in ${shown}/model; ` +
            `to train longer, start a new run (${runnerCommand(io)} ${shown}/config.resolved.yaml --set training.epochs=N).`,
        );
        await session.run.network.backend.dispose();
        return EXIT.ok;
      }
    } else {
      const loaded = await loadExperimentFile(configArg!, io.cwd, overrides);
      const runDataDir = dataDir === undefined ? loaded.dataDir : resolve(io.cwd, dataDir);
      const run = await prepareRun(loaded, runDataDir);
      if (options['init-from'] !== undefined) await initFromModel(run.network, options['init-from'], io.cwd);
      const paths = await createRunDir({
        name: loaded.experiment.name,
        cwd: io.cwd,
        ...(options.out === undefined ? {} : { out: options.out }),
        overwrite: options.overwrite,
        now: new Date(),
      });
      writeRunStart(paths, loaded.experiment, {
        format: 'scratchnet-run',
        formatVersion: 1,
        name: loaded.experiment.name,
        config: loaded.source.displayName,
        configDir: loaded.configDir,
        ...(runDataDir === undefined ? {} : { dataDir: runDataDir }),
        overrides: overrides.map((o) => o.label),
        createdAt: new Date().toISOString(),
        versions: packageVersions(),
        machine: machineInfo(),
        kernels: kernelsOf(run),
      });
      session = { run, paths, previousEpochs: [] };
    }
    try {
      return await train(session, reporter, io, startedAt);
    } finally {
      await unlockRunDir(session.paths.dir);
    }
  },
};

/** How to run the runner again from where it was started: `pnpm runner` when a pnpm script ran it. */
function runnerCommand(io: CliIo): string {
  return io.env.npm_lifecycle_event === 'runner' ? 'pnpm runner' : 'runner';
}

async function train(session: Session, reporter: Reporter, io: CliIo, startedAt: number): Promise<number> {
  const { run, paths } = session;
  const { experiment, data, network } = run;
  const runDirShown = displayPath(paths.dir, io.cwd);
  reporter.emit({
    event: 'start',
    runDir: runDirShown,
    name: experiment.name,
    epochs: experiment.training.epochs,
    firstEpoch: (session.resume?.epoch ?? 0) + 1,
    samples: { train: data.train.count, validation: data.validation?.count ?? 0, test: data.test?.count ?? 0 },
    parameters: network.parameters.reduce((sum, p) => sum + shapeSize(p.value.shape), 0),
    backend: network.backend.name,
    threads: threadsOf(run),
    parallelism: run.parallel.mode,
  });

  const controller = new AbortController();
  let interrupts = 0;
  const unsubscribe = io.onInterrupt?.(() => {
    interrupts++;
    if (interrupts === 1) {
      reporter.note('interrupted: finishing the current batch and writing a checkpoint (Ctrl-C again stops at once)');
      controller.abort();
    } else {
      // Exiting here cannot leave a half-written file or a *.tmp-* name behind: Node runs signal
      // listeners from the event loop, never in the middle of synchronous code, and every write to
      // the run folder (temp file, fsync, rename; a checkpoint's files all staged, then renamed)
      // is one synchronous stretch. So a save has either finished or not begun, and the newest
      // complete checkpoint is what --resume and eval find (signals.e2e.test.ts checks it).
      io.stderr.write('stopped at once; the newest complete checkpoint is kept\n');
      process.exit(EXIT.interrupted);
    }
  });
  let outcome: TrainingOutcome;
  try {
    // A resumed run is running again: how it ended before no longer holds.
    if (session.resume) await recordOutcome(paths, undefined, kernelsOf(run));
    outcome = await runTraining(run, paths, reporter, {
      ...(session.resume ? { resume: session.resume, resumeWeightsOnly: session.resumeWeightsOnly ?? false } : {}),
      signal: controller.signal,
      previousEpochs: session.previousEpochs,
      startedAt,
    });
  } catch (error) {
    unsubscribe?.();
    throw error;
  } finally {
    await network.backend.dispose();
  }
  // Ctrl-C stays handled while the outcome is printed, so a second one there still exits 130.
  try {
    const report = await finishRun(paths, outcome, run, reporter, io);
    return reportOutcome(outcome, reporter, io, runDirShown, report);
  } finally {
    unsubscribe?.();
  }
}

/** The last event of a training command, and its exit code. */
function reportOutcome(outcome: TrainingOutcome, reporter: Reporter, io: CliIo, runDirShown: string, report: string | undefined): number {
  switch (outcome.status) {
    case 'completed':
      reporter.emit({ ...outcome.summary, runDir: runDirShown, ...(report === undefined ? {} : { report }) });
      return EXIT.ok;
    case 'aborted':
      reporter.emit({
        event: 'error',
        exitCode: EXIT.interrupted,
        message:
          `interrupted in epoch ${outcome.checkpoint.epoch + 1} after batch ${outcome.checkpoint.batchInEpoch}; ` +
          `checkpoint written to ${displayPath(outcome.file, io.cwd)}`,
        resume: `${runnerCommand(io)} --resume ${runDirShown}`,
      });
      return EXIT.interrupted;
    case 'diverged':
      reporter.emit({
        event: 'error',
        exitCode: EXIT.diverged,
        code: outcome.error.code,
        message:
          `${outcome.error.message} The last good checkpoint (epoch ${outcome.lastGoodEpoch}) is kept in ` +
          `${displayPath(outcome.file, io.cwd)}; evaluate it with runner eval ${runDirShown}/checkpoints --data ...`,
      });
      return EXIT.diverged;
  }
}
