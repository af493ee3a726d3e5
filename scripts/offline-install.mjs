#!/usr/bin/env node
/* global console, process -- Node scripts (the lint config declares no Node globals for .mjs files) */
// The packages as tarballs, installed with no network and no install scripts (checklist P3:
// proves there is nothing native or downloaded at install time):
//   1. `pnpm pack` every publishable workspace package, and `npm pack` every third-party package
//      they depend on (found through the workspace install, walking dependencies recursively);
//   2. in an empty folder outside the workspace, a package.json that depends on the runner
//      tarball and pins every other package to its tarball (npm `overrides`), so nothing is
//      looked up in a registry; `npm install --offline --ignore-scripts`;
//   3. the installed `runner` bin trains a 1-epoch sklearn-digits network (the digits ship in
//      @scratchnet/digits-data) and must exit 0 with a test accuracy above chance.
//
// Usage: node scripts/offline-install.mjs [--keep]   (after `pnpm build`)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishablePackages, readJson, run, step } from './lib/workspace.mjs';

const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-offline-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
mkdirSync(app);

/** Runs a command or exits 1 with its output. */
function must(command, args, options) {
  const result = run(command, args, options);
  if (result.status !== 0) {
    console.error(`offline-install: \`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${result.status}:\n${result.output.trim()}`);
    cleanup();
    process.exit(1);
  }
  return result;
}

function cleanup() {
  if (keep) console.log(`(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}

/** Packs a workspace package with pnpm (which rewrites workspace: and catalog: ranges); returns the file. */
function pack(dir) {
  const before = new Set(readdirSync(tarballs));
  must('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
  const made = readdirSync(tarballs).filter((name) => !before.has(name) && name.endsWith('.tgz'));
  if (made.length !== 1) throw new Error(`packing ${dir} made ${made.length} tarballs`);
  return join(tarballs, made[0]);
}

/**
 * A tarball of an installed third-party package: its folder is what the registry served, so it
 * is tarred as it is under `package/`, the layout npm expects (`npm pack` cannot run inside
 * pnpm's store).
 */
function tarInstalled(name, dir) {
  const { version } = readJson(join(dir, 'package.json'));
  const file = join(tarballs, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  must('tar', ['-czf', file, '--exclude=./node_modules', '--transform', 's,^\\.,package,', '-C', dir, '.'], { cwd: work });
  return file;
}

step('Packing the workspace packages and their third-party dependencies');
const ours = publishablePackages();
const files = new Map(); // package name -> tarball
const thirdParty = new Map(); // name -> real folder
/** Records the third-party dependencies of the package in `dir`, recursively, as installed. */
function collect(dir, manifest) {
  const require = createRequire(join(dir, 'package.json'));
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    if (name.startsWith('@scratchnet/') || thirdParty.has(name)) continue;
    const found = installedDir(require, name);
    if (found === undefined) {
      if (manifest.optionalDependencies?.[name] !== undefined) continue; // another platform's
      throw new Error(`${manifest.name} depends on ${name}, which is not installed`);
    }
    thirdParty.set(name, found);
    collect(found, readJson(join(found, 'package.json')));
  }
}
/**
 * Where `name` is installed as seen from a package, found along the node_modules folders Node
 * searches: `require.resolve('x/package.json')` fails for packages whose `exports` leave out
 * package.json (msgpackr, under bullmq).
 */
function installedDir(require, name) {
  for (const folder of require.resolve.paths(name) ?? []) {
    if (existsSync(join(folder, name, 'package.json'))) return realpathSync(join(folder, name));
  }
  return undefined;
}
for (const pkg of ours) {
  files.set(pkg.name, pack(pkg.dir));
  collect(pkg.dir, pkg.manifest);
}
for (const [name, dir] of thirdParty) files.set(name, tarInstalled(name, dir));
console.log(`${ours.length} workspace packages, ${thirdParty.size} third-party: ${[...thirdParty.keys()].join(', ')}`);

step('npm install --offline --ignore-scripts in an empty folder');
const spec = (name) => `file:${files.get(name)}`;
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify(
    {
      name: 'offline-check',
      private: true,
      dependencies: { '@scratchnet/runner': spec('@scratchnet/runner') },
      overrides: Object.fromEntries([...files.keys()].filter((name) => name !== '@scratchnet/runner').map((name) => [name, spec(name)])),
    },
    null,
    2,
  ),
);
// An unreachable registry as well as --offline: any lookup fails instead of quietly going online.
const npmEnv = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: join(work, 'npm-cache') };
must('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, env: npmEnv });

step('Training one epoch of sklearn digits with the installed runner');
writeFileSync(
  join(app, 'digits.yaml'),
  `name: offline-digits
seed: 1
data:
  train: { type: sklearn-digits-json, take: 1500 }
  test: { type: sklearn-digits-json, skip: 1500 }
  preprocess: [{ type: scale, divisor: 16 }]
model:
  input: [64]
  layers: [{ type: dense, units: 32 }, relu, { type: dense, units: 10 }]
loss: softmax-cross-entropy
optimiser: { type: sgd, momentum: 0.9 }
schedule: { type: fixed, learningRate: 0.05 }
training: { epochs: 1, batchSize: 16 }
`,
);
const trained = must(join(app, 'node_modules', '.bin', 'runner'), ['digits.yaml', '--json', '--out', 'run'], { cwd: app, env: { ...process.env, SCRATCHNET_DATA: '' } });
const summary = trained.stdout
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line))
  .find((event) => event.event === 'summary');
const accuracy = summary?.test?.accuracy;
if (typeof accuracy !== 'number' || accuracy < 0.5) {
  console.error(`offline-install: expected a summary with test accuracy >= 50% after one epoch, found ${JSON.stringify(summary)}`);
  cleanup();
  process.exit(1);
}
console.log(`1 epoch of sklearn digits: test accuracy ${(accuracy * 100).toFixed(2)}%`);
cleanup();
console.log('offline-install: ok');
