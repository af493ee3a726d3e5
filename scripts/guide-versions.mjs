#!/usr/bin/env node
/* global console, process -- Node scripts (the lint config declares no Node globals for .mjs files) */
// Writes the @scratchnet/* version ranges in docs/plugins.md from the versions the next release
// publishes (see lib/guide-versions.mjs). `--check` writes nothing and exits 1 when the guide is
// stale. `pnpm test` runs the same comparison (scripts/test/guide-versions.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { GUIDE, caretRange, rangesIn, releaseVersions, withRanges } from './lib/guide-versions.mjs';
import { ROOT } from './lib/workspace.mjs';

const check = process.argv.includes('--check');
const name = relative(ROOT, GUIDE);
const guide = readFileSync(GUIDE, 'utf8');
const versions = await releaseVersions();
const updated = withRanges(guide, versions);
const stale = rangesIn(guide).filter(({ name: pkg, range }) => range !== caretRange(versions.get(pkg)));
if (updated === guide) {
  console.log(`${name}: ${rangesIn(guide).length} version ranges, up to date`);
} else if (check) {
  for (const { name: pkg, range, line } of stale) console.error(`${name}:${line}: ${pkg} ${range}, the next release is ${versions.get(pkg)}`);
  console.error(`${name} is stale: run \`node scripts/guide-versions.mjs\` and commit it.`);
  process.exit(1);
} else {
  writeFileSync(GUIDE, updated);
  for (const { name: pkg, range, line } of stale) console.log(`${name}:${line}: ${pkg} ${range} -> ${caretRange(versions.get(pkg))}`);
}
