#!/usr/bin/env node
/* global console, process -- Node scripts (the lint config declares no Node globals for .mjs files) */
// Writes the options table of every plugin package's README (between the plugin-options
// markers) from the plugins' schemas. `--check` writes nothing and exits 1 when a README is
// stale. Reads the built packages (dist/): run `pnpm build` first. `pnpm test` runs the same
// comparison from the sources (scripts/test/plugin-tables.test.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PLUGIN_PACKAGES, pluginGroups, renderTables, withTables } from './lib/plugin-tables.mjs';
import { ROOT } from './lib/workspace.mjs';

const check = process.argv.includes('--check');
const stale = [];
for (const pkg of PLUGIN_PACKAGES) {
  const entry = join(ROOT, pkg.dir, 'dist', 'index.js');
  const readmePath = join(ROOT, pkg.dir, 'README.md');
  if (!existsSync(entry)) {
    console.error(`plugin-tables: ${pkg.dir}/dist/index.js does not exist; run \`pnpm build\` first.`);
    process.exit(2);
  }
  if (!existsSync(readmePath)) {
    stale.push(`${pkg.dir}/README.md does not exist; write one (install line, example), then run this script.`);
    continue;
  }
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withTables(readme, renderTables(pluginGroups(await import(pathToFileURL(entry).href), pkg.lists)));
  if (updated === readme) {
    console.log(`${pkg.dir}/README.md: up to date`);
  } else if (check) {
    stale.push(`${pkg.dir}/README.md: the plugin options table is out of date.`);
  } else {
    writeFileSync(readmePath, updated);
    console.log(`${pkg.dir}/README.md: table written`);
  }
}
if (stale.length > 0) {
  console.error(`${stale.join('\n')}\nRun \`node scripts/plugin-tables.mjs\` (after \`pnpm build\`) and commit the READMEs.`);
  process.exit(1);
}
