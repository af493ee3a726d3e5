import { dirname, resolve } from 'node:path';
import { formatPath, type ConfigIssue, type ConfigPath } from '@scratchnet/spec';
import { displayPath, loadExperiment, readConfigFile, type LoadedExperiment } from '../config/load-config.js';
import { ConfigIssuesError, locateIssues, type LocatedIssue } from '../config/issues.js';
import { CONFIG_PATH_HELP, parseConfigPath, type Override } from '../config/overrides.js';
import { locate } from '../config/positions.js';
import { documentValue, parseYamlSource, type YamlSource } from '../config/yaml-source.js';
import { RunnerError } from '../exit-codes.js';
import { expandTrials } from './expand-trials.js';
import { validateSweep } from './sweep-schema.js';
import type { SweepSpec, TrialPlan } from './sweep-spec.js';
import { pathsOf, trialOverride } from './trial-args.js';

/** A validated sweep: its file, its base experiment and every trial it will run. */
export interface LoadedSweep {
  readonly spec: SweepSpec;
  readonly file: string;
  readonly source: YamlSource;
  /** The base config's absolute path, its text and the config it loads to. */
  readonly baseFile: string;
  readonly baseText: string;
  readonly base: LoadedExperiment;
  readonly trials: readonly TrialPlan[];
}

/**
 * Reads and checks a sweep file before any trial starts: the schema, the base config, then every
 * parameter value applied to the base (a path the base cannot take, or a value its schema or
 * shapes refuse, is reported at that value in the sweep file), then every trial's combination.
 */
export async function loadSweepFile(file: string, cwd: string, text?: string): Promise<LoadedSweep> {
  const read = text === undefined ? await readConfigFile(file, cwd) : { text, path: resolve(cwd, file) };
  const source = parseYamlSource(read.text, displayPath(read.path, cwd));
  const fail = (issues: readonly ConfigIssue[]): never => {
    throw new ConfigIssuesError(locateIssues(issues, source, []));
  };
  const result = validateSweep(documentValue(source));
  if (result.value === undefined) return fail(result.issues);
  const spec = result.value;

  // Every parameter's config paths, parsed: its `paths`, else its key.
  const parsed = new Map<string, { text: string; path: ConfigPath }[]>();
  const badPaths: ConfigIssue[] = [];
  for (const [key, parameter] of Object.entries(spec.parameters)) {
    const texts = pathsOf(key, parameter);
    parsed.set(
      key,
      texts.flatMap((text, i) => {
        const path = parseConfigPath(text);
        if (path !== undefined) return [{ text, path }];
        badPaths.push({ path: parameter.paths === undefined ? ['parameters', key] : ['parameters', key, 'paths', i], message: `"${text}" is not a config path; ${CONFIG_PATH_HELP}` });
        return [];
      }),
    );
  }
  if (badPaths.length > 0) fail(badPaths);
  const overridesOf = (key: string, value: unknown, label: string): Override[] => parsed.get(key)!.map(({ text, path }) => trialOverride(text, path, value, label));

  const baseFile = resolve(dirname(read.path), spec.base);
  const baseRead = await readConfigFile(baseFile, cwd).catch((error: unknown) => {
    const where = at(source, ['base']);
    throw new RunnerError(2, `${where} base: ${(error as Error).message} The base path is relative to the sweep file.`);
  });
  const loadBase = (overrides: readonly Override[]): Promise<LoadedExperiment> =>
    loadExperiment({ text: baseRead.text, displayName: displayPath(baseFile, cwd), configDir: dirname(baseFile), overrides });
  const base = await loadBase([]);
  const setsValidation = [...parsed.values()].some((paths) => paths.some(({ text }) => text === 'data' || text.startsWith('data.validation')));
  if (spec.metric.name.startsWith('validation.') && base.experiment.data.validation === undefined && !setsValidation) {
    fail([
      {
        path: ['metric', 'name'],
        message: `${spec.metric.name} needs a validation set, and ${displayPath(baseFile, cwd)} has none: add data.validation: { fromTrain: 0.1 } to it, or to the sweep's parameters as data.validation: { value: { fromTrain: 0.1 } }, or use train.${spec.metric.name.slice(11)}`,
      },
    ]);
  }

  const plainBase = documentValue(base.source);
  const issues: LocatedIssue[] = [];
  for (const [key, parameter] of Object.entries(spec.parameters)) {
    const tried: [ConfigPath, unknown][] =
      'values' in parameter
        ? parameter.values.map((value, i): [ConfigPath, unknown] => [['parameters', key, 'values', i], value])
        : [
            [['parameters', key, 'min'], parameter.min],
            [['parameters', key, 'max'], parameter.max],
          ];
    for (const [where, value] of tried) {
      const found = await issuesWith(loadBase, overridesOf(key, value, at(source, where)));
      const keyWhere = at(source, parameter.paths === undefined ? ['parameters', key] : ['parameters', key, 'paths']);
      issues.push(...found.map((issue) => withPathHint(issue, issue.path, plainBase, keyWhere)));
      if (found.length > 0) break;
    }
  }
  if (issues.length > 0) throw new ConfigIssuesError(issues);

  const trials = expandTrials(spec);
  for (const trial of trials) {
    const overrides = Object.entries(trial.parameters).flatMap(([key, value]) => overridesOf(key, value, `${source.displayName} trial ${trial.id}`));
    const found = await issuesWith(loadBase, overrides);
    if (found.length > 0) {
      const values = overrides.map((o) => o.text).join(', ');
      throw new RunnerError(2, `${source.displayName}: trial ${trial.id} (${values}) is not a valid config:\n${found.map((i) => `  ${formatPath(i.path)}: ${i.message}`).join('\n')}\nEach value is valid alone; change the values that do not go together.`);
    }
  }
  return { spec, file: read.path, source, baseFile, baseText: baseRead.text, base, trials };
}

/** `sweeps/x.yaml:12:7` */
function at(source: YamlSource, path: ConfigPath): string {
  const { line, col } = locate(source.doc, source.lineCounter, path);
  return `${source.displayName}:${line}:${col}`;
}

/** The located issues of loading the base with these overrides (none when it loads). */
async function issuesWith(load: (overrides: readonly Override[]) => Promise<unknown>, overrides: readonly Override[]): Promise<LocatedIssue[]> {
  try {
    await load(overrides);
    return [];
  } catch (error) {
    if (error instanceof ConfigIssuesError) return [...error.issues];
    // applyOverrides refuses a path through a scalar or past a list's end, in --set's words.
    const override = overrides.find((o) => error instanceof RunnerError && error.message.startsWith(`--set "${o.text}": `));
    if (override !== undefined) {
      return [{ path: override.path, message: (error as Error).message.slice(`--set "${override.text}": `.length), where: override.label }];
    }
    throw error;
  }
}

/**
 * A path the base config cannot take is the parameter's fault, not its value's: point at the
 * key, and when the base has that last key elsewhere, say where (`schedule.learningRate`).
 */
function withPathHint(issue: LocatedIssue, path: ConfigPath, plainBase: unknown, keyWhere: string): LocatedIssue {
  if (!/^(unknown|cannot set)/.test(issue.message)) return issue;
  const key = path[path.length - 1];
  const elsewhere = pathsEndingIn(plainBase, String(key), []).filter((p) => formatPath(p) !== formatPath(path));
  if (elsewhere.length === 0) return { ...issue, where: keyWhere };
  const message = `${issue.message.replace(/\.$/, '')}. The base config has ${String(key)} at ${elsewhere.map((p) => formatPath(p)).join(', ')}`;
  return { ...issue, where: keyWhere, message };
}

function pathsEndingIn(node: unknown, key: string, prefix: ConfigPath): ConfigPath[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => pathsEndingIn(item, key, [...prefix, i]));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [[...prefix, k]] : []), ...pathsEndingIn(v, key, [...prefix, k])]);
}
