#!/usr/bin/env node
/* global console, process, setInterval -- Node scripts (the lint config declares no Node globals for .mjs files) */
// The packages as a stranger gets them, through a real registry:
//   1. copy the workspace (with its built dist/ folders) to a temporary folder and version it
//      there with changesets (a patch changeset for every publishable package), so CHANGELOGs
//      are generated and the real tree is left alone;
//   2. start Verdaccio on 127.0.0.1 with throw-away storage (our package names are served only
//      from what we publish; everything else is proxied to the registry npm is configured with).
//      Verdaccio 6 needs Node >= 22: on Node 20 it runs on a Node 24 installed from the npm
//      registry into the temporary folder (or on $SCRATCHNET_REGISTRY_NODE);
//   3. `pnpm publish -r` the copy to it;
//   4. in fresh folders outside the workspace, with plain npm:
//      (a) install @scratchnet/runner and scratchnet-plugin-extras; run the `runner` bin on a
//          small MNIST config (test accuracy must reach 90%), then on a config that loads the
//          plugin by package name and by path;
//      (b) install the libraries only and run scripts/roundtrip/train-and-predict.mjs, which
//          trains and predicts through the documented API;
//   5. stop the registry and delete every temporary folder, whatever happened.
//
// Usage: node scripts/registry-roundtrip.mjs [--keep] [--serve]   (after `pnpm build`; a few minutes)
// --keep leaves the temporary folder for inspection (the registry is stopped all the same).
// --serve stops after publishing and keeps the registry running until Ctrl-C, printing the
//   npmrc to use, so you can try installs (e.g. a plugin of your own) against this tree.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { ROOT, publishablePackages, readJson, run, step } from './lib/workspace.mjs';
import { installNode } from './lib/node-binary.mjs';
import { createUser, startVerdaccio } from './lib/verdaccio.mjs';

const keep = process.argv.includes('--keep');
const serve = process.argv.includes('--serve');
const MIN_ACCURACY = 0.9;
const LIBRARIES = ['tensor', 'layers', 'train', 'datasets'];
// Nothing else is named: train brings the built-in plugins and the registry as its dependencies.
const LIBRARY_EXTRAS = [];
const ASSETS = join(ROOT, 'scripts', 'roundtrip');
const COPY_SKIP = new Set(['node_modules', '.git', '.turbo', 'runs', 'coverage']);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`;
const work = mkdtempSync(join(tmpdir(), 'scratchnet-roundtrip-'));
let registry;

// Cleanup runs exactly once (every caller awaits the same promise): on success, on failure and on
// Ctrl-C/SIGTERM. The exit hook is the last resort (it must be synchronous), so the registry is
// killed and the folder removed even if something throws late.
let cleaning;
let cleanedUp = false;
function cleanup() {
  cleaning ??= (async () => {
    if (registry !== undefined) await registry.stop();
    if (keep) console.log(`(kept ${work})`);
    else rmSync(work, { recursive: true, force: true });
    cleanedUp = true;
  })();
  return cleaning;
}
process.on('exit', () => {
  if (cleanedUp) return;
  registry?.kill();
  if (!keep) rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\nregistry-roundtrip: ${signal}; stopping the registry and cleaning up.`);
    cleanup().finally(() => process.exit(130));
  });
}

class StepError extends Error {}
const fail = (message) => {
  throw new StepError(message);
};

/** Runs a command; on a non-zero exit fails with the command, its folder and its output. */
function must(command, args, options) {
  const result = run(command, args, options);
  if (result.status !== 0) {
    fail(`\`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${result.status}:\n${result.output.trim().split('\n').slice(-60).join('\n')}`);
  }
  return result.stdout;
}

/** The summary event: the last line of `runner train --json` output. */
function summaryOf(stdout, what) {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    const event = JSON.parse(last);
    if (event.event === 'summary') return event;
  } catch {
    // reported below
  }
  return fail(`${what}: the last line of --json output is not the summary event:\n${stdout.trim().split('\n').slice(-10).join('\n')}`);
}

async function main() {
  const packages = publishablePackages();
  const unbuilt = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist')));
  if (unbuilt.length > 0) fail(`not built: ${unbuilt.map((pkg) => pkg.relativeDir).join(', ')}. Run \`pnpm build\` first.`);
  // Asked before our own npmrc takes over: the registry this machine's npm already uses.
  const upstream = run('npm', ['config', 'get', 'registry'], { cwd: work }).stdout.trim().split('\n').at(-1);
  if (!/^https?:\/\//.test(upstream ?? '')) fail(`cannot read npm's registry (npm config get registry printed: ${upstream}).`);

  step(`[${elapsed()}] Copying the workspace to ${work}/workspace, installing it and versioning it with changesets`);
  const copy = join(work, 'workspace');
  cpSync(ROOT, copy, { recursive: true, filter: (source) => !COPY_SKIP.has(basename(source)) });
  const names = packages.map((pkg) => pkg.name);
  writeFileSync(
    join(copy, '.changeset', 'registry-roundtrip.md'),
    `---\n${names.map((name) => `"${name}": patch`).join('\n')}\n---\n\nRegistry round trip: a throw-away patch release of every package.\n`,
  );
  // pnpm publish resolves workspace:^ through the copy's node_modules, so the copy is installed
  // (from the lockfile, offline when the store already has everything; dist/ is copied, no build).
  const path = `${dirname(process.execPath)}${delimiter}${process.env.PATH}`;
  must('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--ignore-scripts'], { cwd: copy, env: { ...process.env, PATH: path } });
  must(join(copy, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: copy, env: { ...process.env, PATH: path } });
  const versions = Object.fromEntries(packages.map((pkg) => [pkg.name, readJson(join(copy, pkg.relativeDir, 'package.json')).version]));
  for (const pkg of packages) {
    if (versions[pkg.name] === pkg.version) fail(`changeset version left ${pkg.name} at ${pkg.version}.`);
    const changelog = join(copy, pkg.relativeDir, 'CHANGELOG.md');
    if (!existsSync(changelog) || !readFileSync(changelog, 'utf8').includes(versions[pkg.name])) {
      fail(`changeset version wrote no CHANGELOG.md entry for ${pkg.name}@${versions[pkg.name]}.`);
    }
  }
  console.log(`   ${packages.map((pkg) => `${pkg.name}@${versions[pkg.name]}`).join(', ')}`);

  // Verdaccio 6 needs Node >= 22. On an older Node the registry alone runs on a Node 24 from the
  // npm registry (or SCRATCHNET_REGISTRY_NODE); the packages are still installed and run on this one.
  let registryNode = process.execPath;
  if (Number(process.versions.node.split('.')[0]) < 22) {
    registryNode = process.env.SCRATCHNET_REGISTRY_NODE || installNode(join(work, 'node-for-registry'), 24);
  }
  step(`[${elapsed()}] Starting Verdaccio on ${run(registryNode, ['--version']).stdout.trim()} (storage in ${work}/registry)`);
  registry = await startVerdaccio(join(work, 'registry'), { uplink: upstream, node: registryNode });
  const token = await createUser(registry.url, 'roundtrip', 'roundtrip-password');
  const host = registry.url.replace(/^https?:/, '');
  const npmrc = join(work, 'npmrc');
  writeFileSync(npmrc, `registry=${registry.url}\n${host}:_authToken=${token}\nfund=false\naudit=false\nupdate-notifier=false\n`);
  // Every npm/pnpm below talks only to the local registry, with a cache that is deleted after.
  const env = {
    ...process.env,
    npm_config_userconfig: npmrc,
    npm_config_registry: registry.url,
    npm_config_cache: join(work, 'npm-cache'),
    // Children (npm, the runner bin) run on the Node running this script, e.g. Node 24 in CI.
    PATH: path,
  };
  console.log(`   ${registry.url} (proxying other packages to the configured npm registry)`);

  step(`[${elapsed()}] Publishing with pnpm publish -r`);
  writeFileSync(join(copy, '.npmrc'), `${readFileSync(join(copy, '.npmrc'), 'utf8')}\n${host}:_authToken=${token}\n`);
  must('pnpm', ['publish', '-r', '--no-git-checks', '--registry', registry.url], { cwd: copy, env });
  for (const name of names) {
    const seen = run('npm', ['view', `${name}@${versions[name]}`, 'version'], { cwd: work, env }).stdout.trim();
    if (!seen.split('\n').includes(versions[name])) fail(`${name}@${versions[name]} is not in the registry after publishing (npm view: ${seen}).`);
  }
  console.log(`   ${names.length} packages published`);
  if (serve) {
    console.log(`\nServing ${registry.url} until Ctrl-C. To install from it:\n  export npm_config_userconfig=${npmrc}\n  npm install @scratchnet/runner`);
    await new Promise(() => setInterval(() => {}, 60_000)); // the signal handlers clean up and exit
  }

  step(`[${elapsed()}] (a) npm install @scratchnet/runner scratchnet-plugin-extras in a fresh folder`);
  const app = join(work, 'consumer-runner');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-runner', private: true, type: 'module' }, null, 2));
  must('npm', ['install', '--no-audit', '--no-fund', `@scratchnet/runner@${versions['@scratchnet/runner']}`, `scratchnet-plugin-extras@${versions['scratchnet-plugin-extras']}`], { cwd: app, env });
  const runner = join(app, 'node_modules', '.bin', 'runner');
  for (const file of ['mnist-small.yaml', 'mnist-plugin.yaml']) cpSync(join(ASSETS, file), join(app, file));

  step(`[${elapsed()}] (a) runner train mnist-small.yaml`);
  const small = summaryOf(must(runner, ['train', 'mnist-small.yaml', '--json', '--out', 'run-small'], { cwd: app, env }), 'mnist-small');
  console.log(`   test accuracy ${(small.test.accuracy * 100).toFixed(2)}% after ${small.epochs} epochs, ${small.seconds.toFixed(1)}s`);
  if (!(small.test.accuracy >= MIN_ACCURACY)) fail(`mnist-small reached ${small.test.accuracy} test accuracy; at least ${MIN_ACCURACY} is required.`);
  for (const file of ['model/model.json', 'model/weights.safetensors', 'metrics.jsonl', 'config.resolved.yaml']) {
    if (!existsSync(join(app, 'run-small', file))) fail(`the run directory has no ${file}.`);
  }

  step(`[${elapsed()}] (a) runner with the plugin package, by name and by path`);
  const byName = summaryOf(must(runner, ['train', 'mnist-plugin.yaml', '--json', '--out', 'run-plugin'], { cwd: app, env }), 'mnist-plugin');
  console.log(`   plugins: [scratchnet-plugin-extras] trained: test accuracy ${(byName.test.accuracy * 100).toFixed(2)}%`);
  if (!(byName.test.accuracy > 0.5)) fail(`mnist-plugin reached only ${byName.test.accuracy} test accuracy.`);
  const byPath = readFileSync(join(app, 'mnist-plugin.yaml'), 'utf8').replace(
    'plugins: [scratchnet-plugin-extras]',
    'plugins: [./node_modules/scratchnet-plugin-extras/dist/index.js]',
  );
  writeFileSync(join(app, 'mnist-plugin-path.yaml'), byPath);
  const validated = must(runner, ['validate', 'mnist-plugin-path.yaml'], { cwd: app, env });
  if (!validated.includes('extras/maxout')) fail(`runner validate with the plugin by path did not list extras/maxout:\n${validated}`);
  console.log('   plugins: [./node_modules/scratchnet-plugin-extras/dist/index.js] validated');

  step(`[${elapsed()}] (b) npm install ${[...LIBRARIES, ...LIBRARY_EXTRAS].map((name) => `@scratchnet/${name}`).join(' ')}`);
  const lib = join(work, 'consumer-libraries');
  mkdirSync(lib);
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'consumer-libraries', private: true, type: 'module' }, null, 2));
  const specs = [...LIBRARIES, ...LIBRARY_EXTRAS].map((name) => `@scratchnet/${name}@${versions[`@scratchnet/${name}`]}`);
  must('npm', ['install', '--no-audit', '--no-fund', ...specs], { cwd: lib, env });
  cpSync(join(ASSETS, 'train-and-predict.mjs'), join(lib, 'train-and-predict.mjs'));
  const output = must(process.execPath, ['train-and-predict.mjs'], { cwd: lib, env });
  const result = JSON.parse(output.trim().split('\n').at(-1));
  console.log(`   train-and-predict.mjs: test accuracy ${(result.accuracy * 100).toFixed(2)}%, predicted ${result.predicted.join('')} for ${result.actual.join('')}`);
  if (!(result.accuracy >= 0.8)) fail(`train-and-predict.mjs reached only ${result.accuracy} accuracy.`);
}

let exitCode = 0;
try {
  console.log(`registry-roundtrip on Node ${process.version}`);
  await main();
  console.log(`\nregistry-roundtrip: ok in ${elapsed()}.`);
} catch (error) {
  exitCode = 1;
  console.error(`\nregistry-roundtrip FAILED after ${elapsed()}: ${error instanceof StepError ? error.message : (error.stack ?? error)}`);
  if (registry !== undefined && registry.log().trim() !== '') console.error(`\nVerdaccio said:\n${registry.log().trim().split('\n').slice(-30).join('\n')}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
