import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { parseArgs, wholeNumberFlag } from '../args.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, dataDirOf, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import type { Reporter } from '../output/events.js';
import { writeFileAtomic } from '../run-dir/atomic.js';
import { createRunDir, unlockRunDir, lockRunDir } from '../run-dir/run-dir.js';
import { redact } from '../sweep/queue/queue-url.js';
import { describeRule } from '../sweep/early-termination.js';
import { loadSweepFile, type LoadedSweep } from '../sweep/load-sweep.js';
import { localExecutor } from '../sweep/local-executor.js';
import { runTrials, type TrialExecutor } from '../sweep/sweep-engine.js';
import { readSweepDir, saveSweep, saveSweepReport, SWEEP_FILES } from '../sweep/sweep-files.js';
import { progressLine, trialLine } from '../sweep/sweep-progress.js';
import { bestTrial, formatMetric, newTrialRecord, type SweepRecord, type TrialStatus } from '../sweep/sweep-record.js';
import { COMMON_FLAGS, DATA_DIR_FLAG, type Command } from './command.js';

const flags = {
  out: { type: 'string', value: 'DIR', description: 'sweep folder (default: sweeps/<name>-<timestamp>)' },
  resume: { type: 'string', value: 'SWEEP_DIR', description: 'continue a stopped sweep: finished trials are kept, interrupted ones resume from their checkpoints' },
  concurrency: { type: 'string', value: 'N', description: 'trials at once on this machine (default: the sweep file\'s concurrency, else the cores)' },
  queue: { type: 'string', value: 'URL', description: 'put the trials on a BullMQ queue on Redis for runner worker processes: redis://HOST:PORT/DB or rediss://' },
  ...DATA_DIR_FLAG,
  ...COMMON_FLAGS,
} as const;

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'run many trials of one config from a sweep file (grid or random search, early termination)',
  usage: ['sweep SWEEP.yaml [--concurrency N] [--out DIR] [--queue redis://HOST:PORT/DB] [--json]', 'sweep --resume SWEEP_DIR [--concurrency N] [--queue URL]'],
  flags,
  details: `Each trial is an ordinary run folder, sweeps/<name>-<time>/trials/<id>/, which runner train
<id>/config.resolved.yaml reproduces on its own. The sweep folder holds sweep.json (every trial's
parameters, status, per-epoch metric and figures), trials.csv and report.html. Ctrl-C stops the
running trials at their next batch with a checkpoint; runner sweep --resume SWEEP_DIR continues.
With --queue the trials go to a BullMQ queue on Redis and runner worker processes, on this or
other machines, run them (see the README's Sweeps section).`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'sweep');
    const reporter = createReporter(io, options.json);
    if (positionals.length > 1) throw usageError(`runner sweep takes one SWEEP file, got ${positionals.length}: ${positionals.join(' ')}.`);
    const file = positionals[0];
    if ((file === undefined) === (options.resume === undefined)) {
      throw usageError(file === undefined ? 'runner sweep needs a SWEEP.yaml file (or --resume SWEEP_DIR). See runner sweep --help.' : 'give a SWEEP.yaml file or --resume SWEEP_DIR, not both.');
    }
    const concurrency = options.concurrency === undefined ? undefined : wholeNumberFlag(options.concurrency, '--concurrency', 1, 256);
    const queue = options.queue;

    let sweep: LoadedSweep;
    let record: SweepRecord;
    let dir: string;
    if (options.resume !== undefined) {
      if (options.out !== undefined) throw usageError('--resume continues SWEEP_DIR in place; leave out --out.');
      dir = resolve(io.cwd, options.resume);
      const stored = await readSweepDir(dir, options.resume);
      record = stored.record;
      sweep = await loadSweepFile(record.sweepFile, io.cwd, stored.specText);
      checkSameTrials(sweep, record, options.resume);
      await lockRunDir(dir, options.resume);
      for (const trial of record.trials) if (trial.status === 'running') trial.status = 'interrupted';
    } else {
      sweep = await loadSweepFile(file!, io.cwd);
      const paths = await createRunDir({ name: sweep.spec.name, cwd: io.cwd, ...(options.out === undefined ? {} : { out: options.out }), overwrite: false, now: new Date(), root: 'sweeps' });
      dir = paths.dir;
      writeFileAtomic(resolve(dir, SWEEP_FILES.spec), sweep.source.text);
      record = {
        format: 'scratchnet-sweep',
        formatVersion: 1,
        name: sweep.spec.name,
        id: `${basename(dir)}-${randomUUID().slice(0, 8)}`,
        sweepFile: sweep.file,
        baseFile: sweep.baseFile,
        createdAt: new Date().toISOString(),
        method: sweep.spec.method,
        metric: sweep.spec.metric,
        ...(sweep.spec.earlyTermination === undefined ? {} : { earlyTermination: describeRule(sweep.spec.earlyTermination, sweep.base.experiment.training.epochs) }),
        trials: sweep.trials.map(newTrialRecord),
      };
    }
    try {
      const dataDir = dataDirOf(options['data-dir'], io);
      return await runSweep(sweep, record, dir, { concurrency, queue, reporter, io, json: options.json, ...(dataDir === undefined ? {} : { dataDir: resolve(io.cwd, dataDir) }) });
    } finally {
      await unlockRunDir(dir);
    }
  },
};

interface SweepRunOptions {
  readonly concurrency: number | undefined;
  readonly queue: string | undefined;
  readonly reporter: Reporter;
  readonly io: CliIo;
  readonly json: boolean;
  readonly dataDir?: string;
}

async function runSweep(sweep: LoadedSweep, record: SweepRecord, dir: string, options: SweepRunOptions): Promise<number> {
  const { reporter, io } = options;
  const shown = displayPath(dir, io.cwd);
  const parameters = Object.keys(sweep.spec.parameters);
  const cores = availableParallelism();
  const slots = options.concurrency ?? sweep.spec.concurrency ?? cores;
  let executor: TrialExecutor;
  if (options.queue === undefined) {
    executor = localExecutor({ sweepDir: dir, baseFile: sweep.baseFile, parameters: sweep.spec.parameters, cwd: io.cwd, concurrency: slots, threads: Math.max(1, Math.floor(cores / slots)), ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }) });
  } else {
    const { queueExecutor } = await import('../sweep/queue/coordinator.js');
    executor = await queueExecutor({ url: options.queue, env: io.env, sweepDir: dir, sweepId: record.id, sweep, note: (text) => reporter.note(text) });
  }
  const where = options.queue === undefined ? `${slots} at a time on this machine` : `on the workers of ${redact(options.queue)}`;
  reporter.note(`sweep ${record.name}: ${record.trials.length} trials (${record.method}), ${where}; folder ${shown}`);

  const controller = new AbortController();
  const unsubscribe = io.onInterrupt?.(() => {
    if (controller.signal.aborted) {
      io.stderr.write('stopped at once; the trials keep their newest checkpoints\n');
      process.exit(EXIT.interrupted);
    }
    reporter.note('interrupted: the running trials stop at their next batch and write checkpoints (Ctrl-C again stops at once)');
    controller.abort();
  });
  const seen = new Map<string, TrialStatus>(record.trials.map((t) => [t.id, t.status]));
  let lastLine = '';
  const changed = (): void => {
    saveSweep(dir, record, parameters);
    for (const trial of record.trials) {
      const before = seen.get(trial.id);
      seen.set(trial.id, trial.status);
      if (before === trial.status || (trial.status !== 'completed' && trial.status !== 'pruned' && trial.status !== 'failed')) continue;
      reporter.note(trialLine(record, trial));
      if (options.json) reporter.result('', { event: 'trial', ...trial });
    }
    const line = progressLine(record, slots);
    if (line !== lastLine) {
      lastLine = line;
      reporter.note(line);
    }
  };
  let outcome: 'done' | 'interrupted';
  try {
    outcome = await runTrials(record, executor, { metric: record.metric, ...(sweep.spec.earlyTermination ? { rule: sweep.spec.earlyTermination } : {}), signal: controller.signal, changed });
  } finally {
    unsubscribe?.();
    await executor.close?.();
  }
  changed();
  const report = saveSweepReport(dir, record, parameters);
  const best = bestTrial(record);
  const summary = {
    event: 'sweep',
    sweepDir: shown,
    status: outcome,
    trials: record.trials.length,
    completed: record.trials.filter((t) => t.status === 'completed').length,
    pruned: record.trials.filter((t) => t.status === 'pruned').length,
    failed: record.trials.filter((t) => t.status === 'failed').length,
    ...(best === undefined ? {} : { best: { id: best.id, value: best.value, parameters: best.parameters, runDir: `${shown}/${best.runDir}` } }),
    report: displayPath(report, io.cwd),
  };
  if (outcome === 'interrupted') {
    reporter.result(`sweep stopped; continue it with: runner sweep --resume ${shown}`, { ...summary, resume: `runner sweep --resume ${shown}` });
    return EXIT.interrupted;
  }
  const bestText = best === undefined ? 'no trial finished with a value' : `best: ${best.id} ${record.metric.name} ${formatMetric(record.metric.name, best.value)} (${shown}/${best.runDir})`;
  reporter.result(`${bestText}\nreport: ${displayPath(report, io.cwd)}`, summary);
  if (summary.completed + summary.pruned === 0 && summary.failed > 0) return EXIT.internal;
  return EXIT.ok;
}

/** --resume runs the trials the folder's sweep.yaml makes; a changed file or record cannot be continued. */
function checkSameTrials(sweep: LoadedSweep, record: SweepRecord, shown: string): void {
  const same = sweep.trials.length === record.trials.length && sweep.trials.every((t, i) => t.id === record.trials[i]!.id && JSON.stringify(t.parameters) === JSON.stringify(record.trials[i]!.parameters));
  if (!same) throw usageError(`${shown}: its sweep.yaml no longer makes the trials in its sweep.json (was it edited?). Start a new sweep instead.`);
}

