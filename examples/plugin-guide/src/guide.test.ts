import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { datasets, preprocessors } from '@scratchnet/datasets';
import { ConfigError, PLUGIN_KINDS, type PluginPackage, type PluginRegistry } from '@scratchnet/spec';
import { createDefaultRegistry } from '@scratchnet/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GUIDE, PROJECT_DIR, type ScriptRun, runScript, writeProject } from './guide-project.js';
import { codeBlocks, projectFiles } from './markdown-blocks.js';

// docs/plugins.md, followed the way its reader would: the package is put together from the
// guide's file blocks alone, then the guide's own scripts typecheck, test and build it.

const TIMEOUT = 300_000;
const guide = readFileSync(GUIDE, 'utf8');
const { files, problems } = projectFiles(codeBlocks(guide));
const manifestFile = files.find((file) => file.path === 'package.json');
const manifest = JSON.parse(manifestFile?.content ?? '{}') as { name?: string; version?: string; scripts?: Record<string, string> };
const testFiles = files.filter((file) => file.path.endsWith('.test.ts')).map((file) => file.path);
const configs = files.filter((file) => /^try\/.*\.yaml$/.test(file.path));

const show = (run: ScriptRun): string =>
  `\`${run.command}\` in ${PROJECT_DIR} exited with ${run.status}:\n${run.output}\n` +
  '(The package compiles and runs against the built @scratchnet/* packages, as a reader\'s would: if it misses a recent ' +
  'change of theirs, build them first with `pnpm turbo run build --filter=@scratchnet/plugin-guide^...`.)';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string): string => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

/** The runner's registry: train's built-in plugins and the data plugins. */
function builtinRegistry(): PluginRegistry {
  const registry = createDefaultRegistry();
  for (const plugin of [...datasets, ...preprocessors]) registry.register(plugin, '@scratchnet/datasets');
  return registry;
}

interface VitestReport {
  readonly success: boolean;
  readonly testResults: readonly { readonly name: string; readonly status: string; readonly assertionResults: readonly { readonly status: string }[] }[];
}

describe('docs/plugins.md', () => {
  it('gives every TypeScript example a file of one package, with a package.json, tests and configs', () => {
    expect(problems).toEqual([]);
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src/index.ts']));
    expect(testFiles.length).toBeGreaterThanOrEqual(PLUGIN_KINDS.length);
    expect(configs.length).toBeGreaterThan(0);
  });

  it('links only to headings it has', () => {
    const headings = new Set([...guide.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1]!)));
    const links = [...guide.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((link) => !headings.has(link))).toEqual([]);
  });

  describe('the package it describes', () => {
    beforeAll(() => writeProject(PROJECT_DIR, files));

    it('typechecks with its tsconfig (npm run typecheck)', { timeout: TIMEOUT }, () => {
      const run = runScript(PROJECT_DIR, manifest.scripts ?? {}, 'typecheck');
      expect(run.status, show(run)).toBe(0);
    });

    it('passes every test block (npm test)', { timeout: TIMEOUT }, () => {
      const reportFile = join(PROJECT_DIR, '..', 'vitest-report.json');
      const run = runScript(PROJECT_DIR, manifest.scripts ?? {}, 'test', ['--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`]);
      expect(run.status, show(run)).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
      expect(report.success, show(run)).toBe(true);
      const ran = report.testResults.map((result) => result.name.slice(PROJECT_DIR.length + 1).replaceAll('\\', '/')).sort();
      expect(ran, 'every test block runs, and nothing else').toEqual([...testFiles].sort());
      for (const result of report.testResults) {
        expect(result.assertionResults.length, `${result.name} has tests`).toBeGreaterThan(0);
        expect(result.assertionResults.every((test) => test.status === 'passed'), `${result.name}: every test passed`).toBe(true);
      }
    });

    it('builds dist/ (npm run build)', { timeout: TIMEOUT }, () => {
      const run = runScript(PROJECT_DIR, manifest.scripts ?? {}, 'build');
      expect(run.status, show(run)).toBe(0);
      expect(existsSync(join(PROJECT_DIR, 'dist', 'index.js'))).toBe(true);
      expect(existsSync(join(PROJECT_DIR, 'dist', 'softsign.test.js')), 'tests stay out of dist/').toBe(false);
    });

    it('default-exports a plugin of every kind, with the name and version of package.json', async () => {
      const pkg = ((await import(pathToFileURL(join(PROJECT_DIR, 'dist', 'index.js')).href)) as { default: PluginPackage }).default;
      expect(pkg.meta).toMatchObject({ name: manifest.name, version: manifest.version });
      const kinds = Object.entries(pkg).flatMap(([key, list]) => (key === 'meta' ? [] : (list as { kind: string }[]).map((plugin) => plugin.kind)));
      expect(new Set(kinds)).toEqual(new Set(PLUGIN_KINDS));
    });

    it.each(configs.map((config) => [config.path, config] as const))('%s validates with the built-in plugins and the package', async (_path, config) => {
      const raw = parse(config.content) as { plugins?: string[] };
      const entry = join(PROJECT_DIR, 'dist', 'index.js');
      expect(raw.plugins?.map((plugin) => resolve(PROJECT_DIR, dirname(config.path), plugin)), 'plugins: names the build').toEqual([entry]);
      const registry = builtinRegistry();
      registry.registerPackage(((await import(pathToFileURL(entry).href)) as { default: PluginPackage }).default, raw.plugins![0]);
      const { issues } = registry.validateExperiment(raw);
      expect(issues.length === 0 ? '' : ConfigError.describe(issues, config.path)).toBe('');
    });
  });
});
