#!/usr/bin/env node
/* global console, process -- Node scripts (the lint config declares no Node globals for .mjs files) */
// Packs every publishable workspace package the way `pnpm publish` would and checks each tarball
// as a stranger would receive it:
//   - the packed package.json has no workspace:/catalog: specifiers and carries the publishing
//     fields (description, MIT license, repository, engines, type module, exports with types
//     before default, files, publishConfig.access public, sideEffects false for libraries);
//   - every exports/bin target exists in the tarball, bins start with a shebang;
//   - no tests, test helpers, fixtures, golden files or build caches are packed;
//   - every source map (and sourceMappingURL comment) points at files that are in the tarball;
//   - publint --strict and `attw --profile esm-only` (@arethetypeswrong/cli) pass;
//   - the unpacked package loads with both import and require() (require of an ES module works
//     unflagged from Node 20.19 and 22.12, the engines floor) and both give the same exports.
//
// Usage: node scripts/check-packages.mjs [--keep] [package-name ...]   (after `pnpm build`)
// Exits 1 listing every problem, package by package; 0 when all packages are clean.
//
// The "@scratchnet/source" export condition (used by in-repo tests and typechecks to read
// sibling packages' TypeScript sources) is published as it is, and so are the sources it points
// at (src/ minus tests and test helpers, via each package's `files`): the condition then names
// a file that exists, and the .js.map / .d.ts.map files resolve to real sources, so a consumer's
// debugger and "go to definition" land in the TypeScript. No tool outside this repository sets
// that condition, so resolution for consumers is the types/default pair.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { bin, publishablePackages, readJson, run, step } from './lib/workspace.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.filter((arg) => !arg.startsWith('--'));

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const FORBIDDEN_FILES = [
  [/(^|\/)(test|tests|__tests__|fixtures|__fixtures__|__golden__|bench|coverage|\.turbo)\//, 'a test, fixture, golden-file, benchmark or cache folder'],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'a test file'],
  [/\.(test|spec)\.d\.[cm]?ts(\.map)?$/, 'the declarations of a test file'],
  [/(^|\/)test-[^/]*$/, 'a test helper (test-*.ts)'],
  [/\.tsbuildinfo$/, 'a TypeScript build cache'],
  [/(^|\/)(tsconfig[^/]*\.json|vitest\.config\.[cm]?[jt]s|\.eslintrc[^/]*)$/, 'a build or test config'],
];

/** Files in `dir`, as posix paths relative to it. */
function listFiles(dir, prefix = '') {
  const files = [];
  for (const name of readdirSync(join(dir, prefix))) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(join(dir, path)).isDirectory()) files.push(...listFiles(dir, path));
    else files.push(path);
  }
  return files;
}

/** Every string target of an exports map, with the condition path that leads to it. */
function exportTargets(exports, path = 'exports') {
  if (typeof exports === 'string') return [{ path, target: exports }];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.entries(exports).flatMap(([key, value]) => exportTargets(value, `${path}[${JSON.stringify(key)}]`));
}

/** Conditions objects (keys not starting with ".") whose `types` comes after a runtime condition. */
function typesOrderProblems(exports, path = 'exports') {
  if (exports === null || typeof exports !== 'object') return [];
  const keys = Object.keys(exports);
  const problems = [];
  if (keys.length > 0 && !keys[0].startsWith('.') && keys.includes('types')) {
    const runtime = keys.findIndex((key) => ['default', 'import', 'require', 'node'].includes(key));
    if (runtime !== -1 && runtime < keys.indexOf('types')) {
      problems.push(`${path}: "types" must come before "${keys[runtime]}" (TypeScript takes the first matching condition).`);
    }
  }
  for (const [key, value] of Object.entries(exports)) problems.push(...typesOrderProblems(value, `${path}[${JSON.stringify(key)}]`));
  return problems;
}

function manifestProblems(pkg, manifest) {
  const problems = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog):/.test(String(spec))) {
        problems.push(`packed package.json ${field}.${name} is "${spec}"; pnpm pack/publish must replace it with a version range (pack with pnpm, not npm).`);
      }
    }
  }
  const want = (ok, message) => ok || problems.push(`packed package.json: ${message}`);
  want(typeof manifest.description === 'string' && manifest.description.length > 0, 'description is missing.');
  // Code is MIT; a data package adds its data's licence (digits-data: CC BY 4.0) to the expression.
  want(
    manifest.license === 'MIT' || manifest.license === 'MIT AND CC-BY-4.0',
    `license is ${JSON.stringify(manifest.license)}, expected "MIT" (or "MIT AND CC-BY-4.0" for a package that ships CC BY data).`,
  );
  want(manifest.type === 'module', `type is ${JSON.stringify(manifest.type)}, expected "module" (the packages are ESM only).`);
  want(
    manifest.repository?.type === 'git' && typeof manifest.repository?.url === 'string' && manifest.repository?.directory === pkg.relativeDir,
    `repository must be { type: "git", url, directory: "${pkg.relativeDir}" } (found ${JSON.stringify(manifest.repository)}).`,
  );
  want(Array.isArray(manifest.keywords) && manifest.keywords.length > 0, 'keywords are missing.');
  want(manifest.engines?.node === '>=20.19', `engines.node is ${JSON.stringify(manifest.engines?.node)}, expected ">=20.19".`);
  want(manifest.publishConfig?.access === 'public', 'publishConfig.access must be "public" (scoped packages are private by default).');
  want(manifest.exports !== undefined, 'exports is missing.');
  want(Array.isArray(manifest.files), 'files is missing; without it every file of the folder is published.');
  if (manifest.bin === undefined) {
    want(manifest.sideEffects === false, 'sideEffects must be false for a library (nothing registers on import).');
  }
  for (const problem of typesOrderProblems(manifest.exports)) problems.push(`packed package.json ${problem}`);
  return problems;
}

function contentProblems(root, files, manifest) {
  const problems = [];
  const has = new Set(files);
  for (const [pattern, what] of FORBIDDEN_FILES) {
    for (const file of files.filter((f) => pattern.test(f))) problems.push(`${file} is ${what}; exclude it in "files" (e.g. "!src/**/*.test.ts").`);
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!has.has(required)) problems.push(`${required} is not in the tarball.`);
  }
  if (!files.some((file) => file.startsWith('dist/'))) problems.push('dist/ is not in the tarball; run `pnpm build` before packing.');

  for (const { path, target } of exportTargets(manifest.exports)) {
    const file = posix.normalize(target);
    if (!target.startsWith('./')) problems.push(`${path} is "${target}"; export targets must start with "./".`);
    else if (!file.includes('*') && !has.has(file)) problems.push(`${path} points at ${target}, which is not in the tarball.`);
  }
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [name, target] of Object.entries(bins)) {
    const file = posix.normalize(target);
    if (!has.has(file)) problems.push(`bin.${name} points at ${target}, which is not in the tarball.`);
    else if (!readFileSync(join(root, file), 'utf8').startsWith('#!')) problems.push(`bin.${name} (${target}) has no #! line.`);
  }

  for (const file of files.filter((f) => /\.[cm]?js$|\.d\.[cm]?ts$/.test(f))) {
    const url = /\/[/*]# sourceMappingURL=([^\s*]+)/.exec(readFileSync(join(root, file), 'utf8'))?.[1];
    if (url === undefined || url.startsWith('data:')) continue;
    const map = posix.join(posix.dirname(file), url);
    if (!has.has(map)) problems.push(`${file} names source map ${url}, which is not in the tarball.`);
  }
  const brokenMaps = [];
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    let map;
    try {
      map = JSON.parse(readFileSync(join(root, file), 'utf8'));
    } catch (error) {
      problems.push(`${file} is not valid JSON (${error.message}).`);
      continue;
    }
    const base = posix.join(posix.dirname(file), map.sourceRoot ?? '');
    for (const [i, source] of (map.sources ?? []).entries()) {
      if (!has.has(posix.join(base, source)) && typeof map.sourcesContent?.[i] !== 'string') brokenMaps.push(`${file} -> ${source}`);
    }
  }
  if (brokenMaps.length > 0) {
    problems.push(
      `${brokenMaps.length} source-map source(s) are not in the tarball (${brokenMaps.slice(0, 3).join(', ')}${brokenMaps.length > 3 ? ', ...' : ''}); ` +
        'publish the sources (add "src" and "!src/**/*.test.ts" to files) or build without maps.',
    );
  }
  return problems;
}

function checkPackage(pkg, workDir) {
  const problems = [];
  if (!existsSync(join(pkg.dir, 'dist'))) {
    console.log('   not built');
    return [`${pkg.relativeDir}/dist does not exist; run \`pnpm build\` first.`];
  }

  const packDir = join(workDir, pkg.name.replace('/', '__'));
  mkdirSync(packDir, { recursive: true });
  const packed = run('pnpm', ['pack', '--pack-destination', packDir, '--json'], { cwd: pkg.dir });
  if (packed.status !== 0) return [`pnpm pack failed:\n${packed.output.trim()}`];
  const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) return [`pnpm pack wrote no .tgz into ${packDir}:\n${packed.output.trim()}`];
  const tarballPath = join(packDir, tarball);

  const unpacked = join(packDir, 'unpacked');
  mkdirSync(unpacked);
  const untar = run('tar', ['-xzf', tarballPath, '-C', unpacked]);
  if (untar.status !== 0) return [`cannot unpack ${tarball}: ${untar.output.trim()}`];
  const root = join(unpacked, 'package');
  const files = listFiles(root);
  const manifest = readJson(join(root, 'package.json'));
  problems.push(...manifestProblems(pkg, manifest), ...contentProblems(root, files, manifest));

  const publint = run(bin('publint'), ['run', tarballPath, '--strict'], { cwd: packDir });
  if (publint.status !== 0) problems.push(`publint --strict failed:\n${indent(publint.output)}`);
  // esm-only: the packages are ESM only on purpose, so node10 and require() from CommonJS are
  // not supported resolutions; everything else (node16 from ESM, bundler) must be clean.
  const attw = run(bin('attw'), [tarballPath, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color'], { cwd: packDir });
  if (attw.status !== 0) problems.push(`attw --profile esm-only failed:\n${indent(attw.output)}`);

  problems.push(...loadProblems(pkg, root, manifest));

  console.log(`   ${tarball}: ${files.length} files, ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`);
  return problems;
}

// Run as CommonJS: loads the package by its own name (self-reference, so through its exports
// map, as a consumer would) with require() and with import(), and compares their export names.
const LOAD_SMOKE = `
const { createRequire } = require('node:module');
const [manifestPath, name] = process.argv.slice(1);
const required = createRequire(manifestPath)(name);
import(createRequire(manifestPath).resolve(name)).then((imported) => {
  // require() of an ES module adds __esModule (and keeps default) to the namespace it returns.
  const named = (ns) => Object.keys(ns).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports').sort().join(',');
  const a = named(required), b = named(imported);
  if (a === '' || a !== b) { console.error('require() exports [' + a + '] but import exports [' + b + ']'); process.exit(1); }
});`;

/** Loads the unpacked tarball with require() and import(); its dependencies come from the workspace install. */
function loadProblems(pkg, root, manifest) {
  const modules = join(pkg.dir, 'node_modules');
  if (existsSync(modules)) symlinkSync(modules, join(root, 'node_modules'), 'dir');
  const loaded = run(process.execPath, ['-e', LOAD_SMOKE, join(root, 'package.json'), manifest.name], { cwd: root });
  return loaded.status === 0 ? [] : [`loading the package with require() and import() failed:\n${indent(loaded.output)}`];
}

const indent = (text) =>
  text
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');

const packages = publishablePackages().filter((pkg) => only.length === 0 || only.includes(pkg.name));
if (only.length > 0 && packages.length !== only.length) {
  const known = publishablePackages().map((pkg) => pkg.name);
  console.error(`check-packages: unknown package(s): ${only.filter((name) => !known.includes(name)).join(', ')}. Known: ${known.join(', ')}.`);
  process.exit(2);
}
const workDir = mkdtempSync(join(tmpdir(), 'scratchnet-check-packages-'));
const failures = [];
try {
  step(`Packing and checking ${packages.length} packages (work folder ${workDir})`);
  for (const pkg of packages) {
    console.log(` - ${pkg.name} (${pkg.relativeDir})`);
    let problems;
    try {
      problems = checkPackage(pkg, workDir);
    } catch (error) {
      problems = [`the check itself failed: ${error.stack ?? error}`];
    }
    if (problems.length > 0) failures.push({ pkg, problems });
  }
} finally {
  if (keep) console.log(`(kept ${workDir})`);
  else rmSync(workDir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\ncheck-packages: ${failures.length} of ${packages.length} packages have problems:`);
  for (const { pkg, problems } of failures) {
    console.error(`\n${pkg.name} (${pkg.relativeDir}):`);
    for (const problem of problems) console.error(`  - ${problem}`);
  }
  process.exit(1);
}
console.log(`\ncheck-packages: all ${packages.length} packages are ready to publish.`);
