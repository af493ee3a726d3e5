import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { isScratchnetError, ShapeError, type ConfigIssue, type ExperimentConfig, type PluginRegistry } from '@scratchnet/spec';
import { inferShapes } from '@scratchnet/train';
import { createBuiltinRegistry } from '../builtins.js';
import { usageError } from '../exit-codes.js';
import { loadPluginPackages, pluginFlagEntry, type LoadedPluginPackage, type PluginLoadResult } from '../plugins.js';
import { runInfoBeside } from '../run-dir/run-info.js';
import { ConfigIssuesError } from './issues.js';
import { locateIssues } from './issues.js';
import { applyOverrides, type Override } from './overrides.js';
import { documentValue, parseYamlSource, type YamlSource } from './yaml-source.js';

/** A validated experiment with everything needed to report on it and to run it. */
export interface LoadedExperiment {
  readonly experiment: ExperimentConfig;
  /** Built-ins plus the config's plugins, frozen. */
  readonly registry: PluginRegistry;
  readonly source: YamlSource;
  /** Folder that relative paths in the config resolve against. */
  readonly configDir: string;
  readonly overrides: readonly Override[];
  readonly plugins: readonly LoadedPluginPackage[];
  /** The data folder of the run whose config.resolved.yaml this is, when that run had one. */
  readonly dataDir?: string;
}

/** `configs/x.yaml` when the file is under the working directory, the absolute path otherwise. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export async function readConfigFile(file: string, cwd: string): Promise<{ text: string; path: string }> {
  const path = resolve(cwd, file);
  try {
    return { text: await readFile(path, 'utf8'), path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`config file ${file} not found (looked in ${path}).`);
    if (code === 'EISDIR') throw usageError(`${file} is a folder; give the path of a YAML config file.`);
    throw usageError(`cannot read config file ${file}: ${code ?? (error as Error).message}.`);
  }
}

export interface LoadExperimentOptions {
  readonly text: string;
  readonly displayName: string;
  readonly configDir: string;
  readonly overrides: readonly Override[];
  /**
   * Plugin modules to import instead of the config's `plugins:` list, resolved from `baseDir`
   * (`train --resume --plugins`: the run's own entries may no longer resolve).
   */
  readonly pluginEntries?: { readonly entries: readonly string[]; readonly baseDir: string };
  /** Added to a plugin that cannot be imported (e.g. how to point a resumed run at it). */
  readonly pluginHint?: string;
}

/**
 * YAML -> overrides -> plugins -> validation -> shape pass. Every problem found by the plugin
 * loader, the registry and the shape pass is reported at once (ConfigIssuesError, exit 2),
 * each at its line:col; nothing touches the disk.
 */
export async function loadExperiment(options: LoadExperimentOptions): Promise<LoadedExperiment> {
  const source = parseYamlSource(options.text, options.displayName);
  applyOverrides(source.doc, options.overrides);
  const raw = documentValue(source);
  const fail = (issues: readonly ConfigIssue[]): never => {
    throw new ConfigIssuesError(locateIssues(issues, source, options.overrides));
  };

  const registry = createBuiltinRegistry();
  const entries = isRecord(raw) && Array.isArray(raw['plugins']) ? (raw['plugins'] as unknown[]) : [];
  const given = options.pluginEntries;
  const loaded = given === undefined ? await loadPluginPackages(entries, options.configDir) : await loadPluginFlags(given.entries, given.baseDir);
  const hint = options.pluginHint === undefined ? '' : ` ${options.pluginHint}`;
  const issues: ConfigIssue[] = loaded.issues.map((issue) => ({ ...issue, message: issue.message + hint }));
  for (const plugin of loaded.packages) {
    try {
      registry.registerPackage(plugin.pkg, plugin.source);
    } catch (error) {
      if (!isScratchnetError(error)) throw error;
      issues.push({ path: ['plugins', plugin.index], message: error.message });
    }
  }
  registry.freeze();

  const result = registry.validateExperiment(raw);
  issues.push(...result.issues);
  if (issues.length > 0 || result.value === undefined) fail(issues);
  const experiment = result.value!;
  try {
    inferShapes(experiment.model, registry);
  } catch (error) {
    fail(issuesOf(error));
  }
  return { experiment, registry, source, configDir: options.configDir, overrides: options.overrides, plugins: loaded.packages };
}

/** A ShapeError or ConfigError as config issues (a ShapeError at the layer it names); anything else is rethrown. */
export function issuesOf(error: unknown): ConfigIssue[] {
  if (error instanceof ShapeError || (isScratchnetError(error) && error.code === 'SHAPE')) {
    const shape = error as ShapeError;
    const path = shape.layerIndex === undefined ? ['model', 'input'] : ['model', 'layers', shape.layerIndex];
    return [{ path, plugin: shape.layerType, message: `expected input ${shape.expected}, got ${shape.actual}. ${shape.fix}` }];
  }
  if (isScratchnetError(error) && error.code === 'CONFIG') {
    return [...(error as unknown as { issues: readonly ConfigIssue[] }).issues];
  }
  throw error;
}

export async function loadExperimentFile(
  file: string,
  cwd: string,
  overrides: readonly Override[],
): Promise<LoadedExperiment> {
  const { text, path } = await readConfigFile(file, cwd);
  // A run's config.resolved.yaml: its relative paths belong to the config the run started from.
  const run = await runInfoBeside(path);
  const loaded = await loadExperiment({ text, displayName: displayPath(path, cwd), configDir: run?.configDir ?? dirname(path), overrides });
  return run?.dataDir === undefined ? loaded : { ...loaded, dataDir: run.dataDir };
}

/** --plugins entries, imported like `plugins:` ones; a problem is a usage error naming the flag. */
async function loadPluginFlags(entries: readonly string[], baseDir: string): Promise<PluginLoadResult> {
  const result = await loadPluginPackages(entries.map((entry) => pluginFlagEntry(entry, baseDir)), baseDir);
  const [issue] = result.issues;
  if (issue !== undefined) throw usageError(`--plugins ${String(entries[issue.path[1] as number])}: ${issue.message}`);
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
