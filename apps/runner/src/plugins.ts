import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigIssue, PluginPackage } from '@scratchnet/spec';

/** A third-party plugin package named in `plugins:` and imported. */
export interface LoadedPluginPackage {
  readonly entry: string;
  readonly index: number;
  readonly pkg: PluginPackage;
  /** What to call it in messages (package name or resolved file). */
  readonly source: string;
}

export interface PluginLoadResult {
  readonly packages: readonly LoadedPluginPackage[];
  readonly issues: readonly ConfigIssue[];
}

const isPath = (entry: string): boolean => entry.startsWith('.') || isAbsolute(entry);

/**
 * Imports each `plugins:` entry: a path (relative to the config's folder) or a package name
 * (resolved from the config's folder, then from the runner). Each module must default-export
 * `definePlugin({ meta: { name, version, namespace }, layers: [...], ... })`. Problems come back
 * as config issues at `plugins[i]`, so they are reported with every other config mistake.
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
    const path = ['plugins', index];
    let specifier: string;
    try {
      specifier = resolveSpecifier(entry, configDir);
    } catch {
      issues.push({
        path,
        message: isPath(entry)
          ? `cannot find the plugin module ${entry} (looked for ${resolve(configDir, entry)}). Paths are relative to the config file.`
          : `cannot find the plugin package "${entry}" from ${configDir}. Install it (pnpm add ${entry}) or give a relative path such as ./my-plugin.js.`,
      });
      continue;
    }
    let module: { default?: unknown };
    try {
      module = (await importWithin(specifier, timeoutMs)) as { default?: unknown };
    } catch (error) {
      if (error instanceof ImportTimeout) {
        issues.push({
          path,
          message:
            `plugin module ${entry} did not finish importing within ${timeoutMs / 1000} s (its top-level code is still ` +
            'waiting, e.g. on a promise that never settles). Fix the module, or remove it from plugins.',
        });
        continue;
      }
      issues.push({ path, message: `importing plugin module ${entry} failed: ${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    const problem = shapeProblem(module.default);
    if (problem !== undefined) {
      issues.push({
        path,
        message: `${entry} ${problem}; a plugin module must \`export default definePlugin({ meta: { name, version, namespace }, layers: [...], ... })\` from @scratchnet/spec.`,
      });
      continue;
    }
    packages.push({ entry, index, pkg: module.default as PluginPackage, source: entry });
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
  if (isPath(entry)) {
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

const PLUGIN_LISTS = ['layers', 'losses', 'optimisers', 'schedules', 'initialisers', 'datasets', 'preprocessors'];

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
