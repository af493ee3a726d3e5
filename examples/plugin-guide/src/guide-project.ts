import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectFile } from './markdown-blocks.js';

/** This package's folder. */
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const GUIDE = join(PACKAGE_DIR, '..', '..', 'docs', 'plugins.md');
/**
 * Where the guide's package is written. Inside this package (and ignored by git and eslint), so
 * its imports of @scratchnet/* and vitest resolve to this package's dependencies, as a
 * stranger's resolve to what npm installed.
 */
export const PROJECT_DIR = join(PACKAGE_DIR, 'generated', 'acme');

/** Replaces the folder with exactly these files. */
export function writeProject(dir: string, files: readonly ProjectFile[]): void {
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
}

export interface ScriptRun {
  readonly command: string;
  readonly status: number;
  /** stdout then stderr. */
  readonly output: string;
}

/**
 * Runs an npm script of the project as `npm run NAME` would, without npm (which would look for
 * the tools in the project's own node_modules): a script is one command of a tool installed in
 * this package, and `extraArgs` are appended. Variables set by the vitest running this (VITEST,
 * VITEST_POOL_ID, ...) are left out, so a vitest started here behaves as one started by hand.
 */
export function runScript(dir: string, scripts: Readonly<Record<string, string>>, name: string, extraArgs: readonly string[] = []): ScriptRun {
  const script = scripts[name];
  if (script === undefined) throw new Error(`package.json has no "${name}" script.`);
  if (/[&|;<>`$]/.test(script)) throw new Error(`script "${name}" (${script}) is more than one plain command; run only single commands here.`);
  const [tool, ...args] = script.trim().split(/\s+/) as [string, ...string[]];
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
  const result = spawnSync(join(PACKAGE_DIR, 'node_modules', '.bin', tool), [...args, ...extraArgs], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const command = [tool, ...args, ...extraArgs].join(' ');
  if (result.error) return { command, status: 127, output: `${tool}: ${result.error.message}` };
  return { command, status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
