import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EpochMetrics, SplitMetrics } from '@scratchnet/report';
import { parse } from 'yaml';
import { displayPath } from '../config/load-config.js';
import { dataError, usageError } from '../exit-codes.js';
import { heldByAnotherRunner, RUN_FILES, runPaths, type RunPaths } from '../run-dir/run-dir.js';
import type { RunInfo } from '../run-dir/run-info.js';
import { readEvaluation, type EvaluationFile } from './evaluation-file.js';

/** The settings a report shows from config.resolved.yaml (every default is filled in there). */
export interface ResolvedSettings {
  readonly seed: number;
  readonly epochs: number;
  readonly backend: string;
  readonly threads: number;
  readonly input: readonly number[];
}

export interface RunSummary {
  readonly seconds: number;
  readonly samplesPerSecond: number;
  readonly test?: SplitMetrics;
}

/** What a run folder's files say, read and checked; the model and the data are left to the caller. */
export interface RunFolder {
  readonly paths: RunPaths;
  /** The folder as the user would name it. */
  readonly shown: string;
  readonly info: RunInfo;
  readonly configText: string;
  /** config.resolved.yaml as plain data. */
  readonly config: unknown;
  readonly settings: ResolvedSettings;
  readonly epochs: readonly EpochMetrics[];
  /** Absent until the run finishes. */
  readonly summary?: RunSummary;
  readonly evaluation?: EvaluationFile;
  /** Another runner is training into it now. */
  readonly inUse: boolean;
}

const NOT_A_RUN = 'it needs run.json and config.resolved.yaml, which runner train writes before the first epoch. Give a folder runner train made, e.g. runs/NAME-TIMESTAMP';

/**
 * Reads a run folder. A folder without run.json or config.resolved.yaml is not a run (exit 2);
 * a file that is there but cannot be understood is damaged (exit 3, naming it); summary.json
 * and evaluation.json may be missing (an unfinished run, a config without a test set).
 */
export async function readRunFolder(given: string, cwd: string): Promise<RunFolder> {
  const paths = runPaths(resolve(cwd, given));
  const shown = displayPath(paths.dir, cwd);
  const file = (path: string): string => displayPath(path, cwd);
  if (!(await isFolder(paths.dir))) throw usageError(`${given} is not a run folder (no such folder): ${NOT_A_RUN}.`);
  const [infoText, configText] = await Promise.all([readIfThere(paths.info, file), readIfThere(paths.config, file)]);
  if (infoText === undefined || configText === undefined) {
    const missing = [infoText === undefined ? RUN_FILES.info : undefined, configText === undefined ? RUN_FILES.config : undefined].filter(Boolean);
    throw usageError(`${given} is not a run folder (${missing.join(' and ')} missing): ${NOT_A_RUN}.`);
  }
  const info = parseRunInfo(infoText, file(paths.info), given);
  const { config, settings } = parseConfig(configText, file(paths.config));
  const [metricsText, summaryText, evaluation, inUse] = await Promise.all([
    readIfThere(paths.metrics, file),
    readIfThere(paths.summary, file),
    readEvaluation(paths.evaluation, file(paths.evaluation)),
    heldByAnotherRunner(paths.dir),
  ]);
  const summary = summaryText === undefined ? undefined : parseSummary(summaryText, file(paths.summary));
  return {
    paths,
    shown,
    info,
    configText,
    config,
    settings,
    epochs: metricsText === undefined ? [] : parseMetrics(metricsText, file(paths.metrics)),
    ...(summary === undefined ? {} : { summary }),
    ...(evaluation === undefined ? {} : { evaluation }),
    inUse,
  };
}

const damaged = (shown: string, problem: string, fix: string) => dataError(`${shown} is damaged: ${problem}. ${fix}`);

function parseRunInfo(text: string, shown: string, given: string): RunInfo {
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch (error) {
    throw damaged(shown, `it is not valid JSON (${(error as Error).message})`, 'A report needs it: restore it, or train the run again.');
  }
  if (!isRecord(info) || info['format'] !== 'scratchnet-run') {
    throw usageError(`${given} is not a run folder: ${shown} is not a scratchnet run.json (no "format": "scratchnet-run"). Give a folder runner train made.`);
  }
  if (typeof info['name'] !== 'string' || typeof info['configDir'] !== 'string') {
    throw damaged(shown, 'its "name" or "configDir" is missing', 'Restore it, or train the run again.');
  }
  return info as unknown as RunInfo;
}

function parseConfig(text: string, shown: string): { config: unknown; settings: ResolvedSettings } {
  const fix = 'It is the resolved copy of the run\'s config: restore it from the config the run started from (run.json names it).';
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    throw damaged(shown, `it is not valid YAML (${(error as Error).message.split('\n')[0]})`, fix);
  }
  const training = isRecord(config) ? config['training'] : undefined;
  const model = isRecord(config) ? config['model'] : undefined;
  const seed = isRecord(config) ? config['seed'] : undefined;
  const input = isRecord(model) ? model['input'] : undefined;
  if (!isRecord(training) || typeof seed !== 'number' || !Array.isArray(input) || !input.every((d) => typeof d === 'number')) {
    throw damaged(shown, 'it lacks seed, training or model.input, which every resolved config has', fix);
  }
  const { epochs, backend, threads } = training;
  if (typeof epochs !== 'number' || typeof backend !== 'string' || typeof threads !== 'number') {
    throw damaged(shown, 'its training section lacks epochs, backend or threads, which every resolved config has', fix);
  }
  return { config, settings: { seed, epochs, backend, threads, input: input as number[] } };
}

/** The epoch lines; a torn last line (a crash mid-append) is left out, as --resume does. */
function parseMetrics(text: string, shown: string): EpochMetrics[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const epochs: EpochMetrics[] = [];
  lines.forEach((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === lines.length - 1) return;
      throw damaged(shown, `line ${i + 1} is not valid JSON`, 'Each line is one epoch; remove the broken line to report the others.');
    }
    const train = isRecord(value) ? split(value['train']) : undefined;
    if (!isRecord(value) || typeof value['epoch'] !== 'number' || train === undefined) {
      throw damaged(shown, `line ${i + 1} is not an epoch line ({"epoch": N, "train": {"loss", "accuracy"}, ...})`, 'Remove the line to report the others.');
    }
    const validation = split(value['validation']);
    epochs.push({
      epoch: value['epoch'],
      epochs: numberOr(value['epochs']),
      train,
      ...(validation === undefined ? {} : { validation }),
      learningRate: numberOr(value['learningRate']),
      samplesPerSecond: numberOr(value['samplesPerSecond']),
      seconds: numberOr(value['seconds']),
    });
  });
  return epochs;
}

function parseSummary(text: string, shown: string): RunSummary {
  const fix = 'It marks a finished run; delete it to report the run as unfinished, or train again.';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw damaged(shown, `it is not valid JSON (${(error as Error).message})`, fix);
  }
  if (!isRecord(value) || typeof value['seconds'] !== 'number') throw damaged(shown, 'it has no "seconds"', fix);
  const test = split(value['test']);
  return { seconds: value['seconds'], samplesPerSecond: numberOr(value['samplesPerSecond']), ...(test === undefined ? {} : { test }) };
}

/** {loss, accuracy}; JSON writes NaN as null, so null reads back as NaN. */
function split(value: unknown): SplitMetrics | undefined {
  if (!isRecord(value)) return undefined;
  const { loss, accuracy } = value;
  if (!(typeof loss === 'number' || loss === null) || !(typeof accuracy === 'number' || accuracy === null)) return undefined;
  return { loss: numberOr(loss), accuracy: numberOr(accuracy) };
}

const numberOr = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** A file's text, or undefined when it does not exist; other read failures are exit 3. */
async function readIfThere(path: string, show: (path: string) => string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw dataError(`cannot read ${show(path)}: ${code ?? (error as Error).message}. Check its permissions.`, error);
  }
}
