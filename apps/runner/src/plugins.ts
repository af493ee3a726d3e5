import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigIssue, PluginPackage } from '@scratchnet/spec';

/** A third-party plugin package named in `plugins:` (or by --plugins) and imported. */
export interface LoadedPluginPackage {
  readonly entry: string;
  readonly index: number;
  readonly pkg: PluginPackage;
  /** What to call it in messages (package name or resolved file). */
  readonly source: string;
  /** The module's absolute file when the entry is a path (a local module), else undefined. */
  readonly file?: string;
}

export interface PluginLoadResult {
  readonly packages: readonly LoadedPluginPackage[];
  readonly issues: readonly ConfigIssue[];
}

export const isPluginPath = (entry: string): boolean => entry.startsWith('.') || isAbsolute(entry);

/**
 * A --plugins value as an entry: `moved/plugin.js` that names an existing file is that file
 * (a user types it like any other path), anything else not starting with . or / a package name.
 */
export function pluginFlagEntry(value: string, cwd: string): string {
  return !isPluginPath(value) && existsSync(resolve(cwd, value)) ? resolve(cwd, value) : value;
}

/** One imported plugin module, or what went wrong with it (a sentence naming the entry). */
export type PluginImport =
  | { readonly pkg: PluginPackage; readonly file?: string }
  | { readonly problem: string };

/**
 * Imports one plugin module: a path (relative to `baseDir`) or a package name (resolved from
 * `baseDir`, then from the runner). The module must default-export
 * `definePlugin({ meta: { name, version, namespace }, layers: [...], ... })`.
 */
export async function importPlugin(entry: string, baseDir: string, timeoutMs = PLUGIN_IMPORT_TIMEOUT_MS): Promise<PluginImport> {
  let specifier: string;
  try {
    specifier = resolveSpecifier(entry, baseDir);
  } catch {
    return {
      problem: isPluginPath(entry)
        ? `cannot find the plugin module ${entry} (looked for ${resolve(baseDir, entry)})`
        : `cannot find the plugin package "${entry}" from ${baseDir}. Install it (pnpm add ${entry}) or give a relative path such as ./my-plugin.js`,
    };
  }
  let module: { default?: unknown };
  try {
    module = (await importWithin(specifier, timeoutMs)) as { default?: unknown };
  } catch (error) {
    if (error instanceof ImportTimeout) {
      return {
        problem:
          `plugin module ${entry} did not finish importing within ${timeoutMs / 1000} s (its top-level code is still ` +
          'waiting, e.g. on a promise that never settles). Fix the module, or remove it',
      };
    }
    return { problem: `importing plugin module ${entry} failed: ${(error as Error).message.split('\n')[0]}` };
  }
  const problem = shapeProblem(module.default);
  if (problem !== undefined) {
    return {
      problem: `${entry} ${problem}; a plugin module must \`export default definePlugin({ meta: { name, version, namespace }, layers: [...], ... })\` from @scratchnet/spec`,
    };
  }
  return { pkg: module.default as PluginPackage, ...(isPluginPath(entry) ? { file: resolve(baseDir, entry) } : {}) };
}

/**
 * Imports each `plugins:` entry (see importPlugin), paths relative to the config's folder.
 * Problems come back as config issues at `plugins[i]`, so they are reported with every other
 * config mistake.
 */
export async function loadPluginPackages(
  entries: readonly unknown[],
  configDir: string,
  timeoutMs = PLUGIN_IMPORT_TIMEOUT_MS,
): Promise<PluginLoadResult> {
  const packages: LoadedPluginPackage[] = [];
  const issues: ConfigIssue[] = [];
  for (const [index, entry] of entries.entries()) {
    if (typeof entry !== 'string') continue; // the envelope schema reports it
    const imported = await importPlugin(entry, configDir, timeoutMs);
    if ('problem' in imported) {
      const hint = isPluginPath(entry) && imported.problem.startsWith('cannot find') ? '. Paths are relative to the config file.' : '.';
      issues.push({ path: ['plugins', index], message: imported.problem + hint });
      continue;
    }
    packages.push({ entry, index, pkg: imported.pkg, source: entry, ...(imported.file === undefined ? {} : { file: imported.file }) });
  }
  return { packages, issues };
}

/**
 * How long importing one plugin module may take. A module whose top-level await never settles
 * would otherwise leave Node to exit with code 13 and no message once nothing else is pending.
 */
export const PLUGIN_IMPORT_TIMEOUT_MS = 30_000;

class ImportTimeout extends Error {}

/** import(specifier), or an ImportTimeout after `ms` (the pending timer keeps the process alive). */
async function importWithin(specifier: string, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ImportTimeout(specifier)), ms);
  });
  try {
    return await Promise.race([import(specifier), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function resolveSpecifier(entry: string, configDir: string): string {
  if (isPluginPath(entry)) {
    const file = resolve(configDir, entry);
    createRequire(join(configDir, 'noop.js')).resolve(file);
    return pathToFileURL(file).href;
  }
  try {
    return pathToFileURL(createRequire(join(configDir, 'noop.js')).resolve(entry)).href;
  } catch {
    return pathToFileURL(createRequire(import.meta.url).resolve(entry)).href;
  }
}

const PLUGIN_LISTS = ['layers', 'losses', 'optimisers', 'schedules', 'initialisers', 'datasets', 'preprocessors', 'augmentations'];

function shapeProblem(value: unknown): string | undefined {
  if (value === undefined) return 'has no default export';
  if (typeof value !== 'object' || value === null) return `default-exports ${value === null ? 'null' : typeof value}, not a plugin package`;
  const record = value as Record<string, unknown>;
  const meta = record['meta'] as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null) return 'default-exports an object without `meta`';
  for (const key of ['name', 'version', 'namespace']) {
    if (typeof meta[key] !== 'string' || meta[key] === '') return `has no string meta.${key}`;
  }
  for (const key of Object.keys(record)) {
    if (key === 'meta') continue;
    if (!PLUGIN_LISTS.includes(key)) return `has an unexpected key "${key}" (allowed: meta, ${PLUGIN_LISTS.join(', ')})`;
    if (!Array.isArray(record[key])) return `has ${key} that is not a list`;
  }
  return undefined;
}
