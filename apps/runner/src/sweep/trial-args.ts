import type { ConfigPath } from '@scratchnet/spec';
import type { Override } from '../config/overrides.js';
import type { ParameterSpec, SweepSpec, TrialPlan } from './sweep-spec.js';

/** The config paths a parameter sets: its `paths`, else its key. */
export function pathsOf(key: string, parameter: ParameterSpec | undefined): readonly string[] {
  return parameter?.paths ?? [key];
}

/**
 * A value as the `--set` a trial's run is started with. JSON is YAML, and JSON's numbers are the
 * shortest text that reads back as the same double, so the run gets exactly the drawn value.
 */
export function setText(path: string, value: unknown): string {
  return `${path}=${JSON.stringify(value)}`;
}

/** The `--set` texts of a trial: each parameter's value at each of its paths. */
export function trialSets(parameters: SweepSpec['parameters'], trial: TrialPlan): string[] {
  return Object.entries(trial.parameters).flatMap(([key, value]) => pathsOf(key, parameters[key]).map((path) => setText(path, value)));
}

/** An override as loading a trial's config applies it, `label` saying where it came from. */
export function trialOverride(pathText: string, path: ConfigPath, value: unknown, label: string): Override {
  return { label, text: setText(pathText, value), path, value };
}

/** The `runner train` arguments of one trial: base config, its values, its folder. */
export function trialArgs(sets: readonly string[], baseFile: string, outDir: string, threads: number, dataDir?: string): string[] {
  const data = dataDir === undefined ? [] : ['--data-dir', dataDir];
  return ['train', baseFile, ...sets.flatMap((set) => ['--set', set]), '--threads', String(threads), ...data, '--out', outDir, '--json'];
}

/** The arguments that continue an interrupted trial from its checkpoint. */
export function resumeArgs(runDir: string, threads: number): string[] {
  return ['train', '--resume', runDir, '--threads', String(threads), '--json'];
}
