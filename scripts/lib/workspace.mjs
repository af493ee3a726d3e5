/* global console -- Node scripts (the lint config declares no Node globals for .mjs files) */
// Helpers shared by the scripts in this folder: where the workspace is, which packages it
// publishes, and running commands with their output kept for error messages.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A binary installed in the root node_modules (verdaccio, publint, attw, changeset). */
export const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Every workspace package that is not private, as { name, version, dir, relativeDir, manifest },
 * in pnpm's order. `pnpm ls -r` reads pnpm-workspace.yaml, so new folders are picked up.
 */
export function publishablePackages() {
  const listed = JSON.parse(execFileSync('pnpm', ['-r', 'ls', '--depth', '-1', '--json'], { cwd: ROOT, encoding: 'utf8' }));
  return listed
    .filter((entry) => entry.path !== ROOT)
    .map((entry) => {
      const manifest = readJson(join(entry.path, 'package.json'));
      return { name: manifest.name, version: manifest.version, dir: entry.path, relativeDir: relative(ROOT, entry.path), manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true);
}

/**
 * Runs a command and returns { status, stdout, output } (output: stdout, then stderr). Never throws for a non-zero exit: callers turn failures into messages.
 */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) return { status: 127, stdout: '', output: `${command}: ${result.error.message}` };
  return { status: result.status ?? 1, stdout: result.stdout ?? '', output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Prints a heading line the way every script here does. */
export const step = (text) => console.log(`\n== ${text}`);
