import { readFile } from 'node:fs/promises';
import { arch, availableParallelism, cpus, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ExperimentConfig } from '@scratchnet/spec';
import { Document, isScalar, isSeq, visit } from 'yaml';
import { usageError } from '../exit-codes.js';
import type { EpochEvent } from '../output/events.js';
import { writeFileAtomic } from './atomic.js';
import { RUN_FILES, type RunPaths } from './run-dir.js';

/** run.json: where the run's config came from, so `--resume` resolves its paths the same way. */
export interface RunInfo {
  readonly format: 'scratchnet-run';
  readonly formatVersion: 1;
  readonly name: string;
  /** The config file as given (display form). */
  readonly config: string;
  /** Absolute folder relative data and plugin paths resolve against. */
  readonly configDir: string;
  readonly dataDir?: string;
  readonly overrides: readonly string[];
  readonly createdAt: string;
  /** The runner's, every @scratchnet package's and Node's versions (runs from before 0.2 have none). */
  readonly versions?: Readonly<Record<string, string>>;
  /** Where it ran (runs from before 0.2 have none). */
  readonly machine?: MachineInfo;
  /** The kernels that ran, as the start event named them; rewritten by every process that trains the run. */
  readonly kernels?: { readonly backend: string; readonly threads: number; readonly parallelism?: 'data' | 'split' };
  /** How the last training process ended; absent while it runs and after a kill. */
  readonly outcome?: RunOutcome;
}

export interface MachineInfo {
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel?: string;
}

/**
 * summary.json already marks a completed run; the outcome also tells a diverged run (whose
 * message is otherwise lost with the process) from an interrupted one. Reports read it.
 */
export interface RunOutcome {
  readonly status: 'completed' | 'interrupted' | 'diverged';
  readonly endedAt: string;
  /** The last epoch trained whole. */
  readonly epoch: number;
  /** Interrupted: batches done in the epoch after `epoch`. */
  readonly batchInEpoch?: number;
  readonly message?: string;
}

export function machineInfo(): MachineInfo {
  const model = cpus()[0]?.model.trim();
  return { platform: platform(), arch: arch(), cpus: availableParallelism(), ...(model ? { cpuModel: model } : {}) };
}

/** Writes config.resolved.yaml (every default filled) and run.json before epoch 1. */
export function writeRunStart(paths: RunPaths, experiment: ExperimentConfig, info: RunInfo): void {
  const header =
    `# Resolved from ${info.config}${info.overrides.length > 0 ? ` with ${info.overrides.join(' ')}` : ''}.\n` +
    `# Every default is filled in; relative paths resolve against ${info.configDir}.\n`;
  writeFileAtomic(paths.config, header + experimentYaml(experiment));
  writeFileAtomic(paths.info, `${JSON.stringify(info, null, 2)}\n`);
}

/** The experiment as YAML, lists of plain values on one line (`input: [784]`). */
export function experimentYaml(experiment: ExperimentConfig): string {
  const doc = new Document(experiment);
  visit(doc, {
    Seq(_key, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

export async function readRunInfo(paths: RunPaths, given: string): Promise<{ info: RunInfo; configText: string }> {
  let infoText: string;
  let configText: string;
  try {
    [infoText, configText] = await Promise.all([readFile(paths.info, 'utf8'), readFile(paths.config, 'utf8')]);
  } catch {
    throw usageError(`${given} is not a run directory (it needs run.json and config.resolved.yaml); --resume takes a folder a previous run wrote.`);
  }
  let info: RunInfo;
  try {
    info = JSON.parse(infoText) as RunInfo;
  } catch {
    throw usageError(`${paths.info} is not valid JSON; the run directory is damaged.`);
  }
  if (info.format !== 'scratchnet-run' || typeof info.configDir !== 'string') {
    throw usageError(`${paths.info} is not a scratchnet run.json (format ${JSON.stringify(info.format)}).`);
  }
  return { info, configText };
}

/**
 * Rewrites run.json with how training ended (or, given undefined as a resumed run starts, with
 * no outcome, so a resumed run killed later is not reported as the earlier ending).
 */
export async function recordOutcome(paths: RunPaths, outcome: RunOutcome | undefined, kernels?: RunInfo['kernels']): Promise<void> {
  const { info } = await readRunInfo(paths, paths.dir);
  const { outcome: _previous, ...rest } = info;
  const updated: RunInfo = { ...rest, ...(kernels === undefined ? {} : { kernels }), ...(outcome === undefined ? {} : { outcome }) };
  writeFileAtomic(paths.info, `${JSON.stringify(updated, null, 2)}\n`);
}

/**
 * The epoch lines of metrics.jsonl up to `epoch`; the file is rewritten to exactly those, so a
 * resumed run appends after the last checkpointed epoch instead of duplicating lines.
 */
export async function truncateMetrics(paths: RunPaths, epoch: number): Promise<EpochEvent[]> {
  let text = '';
  try {
    text = await readFile(paths.metrics, 'utf8');
  } catch {
    text = '';
  }
  const kept: EpochEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as Omit<EpochEvent, 'event'>;
      if (parsed.epoch <= epoch) kept.push({ event: 'epoch', ...parsed });
    } catch {
      break; // a torn last line from a crash
    }
  }
  writeFileAtomic(paths.metrics, kept.map(({ event: _event, ...line }) => `${JSON.stringify(line)}\n`).join(''));
  return kept;
}

/**
 * The run.json beside a run's config.resolved.yaml, or undefined when `configFile` is not one:
 * training from that file then resolves relative paths where the run did, so it reproduces
 * the run without extra flags.
 */
export async function runInfoBeside(configFile: string): Promise<RunInfo | undefined> {
  if (basename(configFile) !== RUN_FILES.config) return undefined;
  try {
    const info = JSON.parse(await readFile(join(dirname(configFile), RUN_FILES.info), 'utf8')) as RunInfo;
    return info.format === 'scratchnet-run' && typeof info.configDir === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}
