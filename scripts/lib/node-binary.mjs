/* global process -- Node scripts (the lint config declares no Node globals for .mjs files) */
// A Node.js binary of another major version, from the npm registry's `node` package (its
// install script fetches the matching node-<os>-<arch> package, also from the registry).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './workspace.mjs';

/** Installs `node@<major>` into `prefix` and returns the path of its binary. Throws with npm's output on failure. */
export function installNode(prefix, major, env = process.env) {
  const result = run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', `node@${major}`], { env });
  const binary = join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (result.status !== 0 || !existsSync(binary)) {
    throw new Error(`npm install node@${major} into ${prefix} failed (exit ${result.status}):\n${result.output.trim().split('\n').slice(-20).join('\n')}`);
  }
  const version = run(binary, ['--version']).stdout.trim();
  if (!version.startsWith(`v${major}.`)) throw new Error(`${binary} reports ${version}, expected v${major}.x`);
  return binary;
}
