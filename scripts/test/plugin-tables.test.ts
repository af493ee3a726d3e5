import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_PACKAGES, pluginGroups, renderTables, withTables } from '../lib/plugin-tables.mjs';
import { ROOT } from '../lib/workspace.mjs';

// Static imports (through the "@scratchnet/source" condition: the current sources, no build).
const MODULES: Record<string, () => Promise<Record<string, unknown>>> = {
  '@scratchnet/layers': () => import('@scratchnet/layers'),
  '@scratchnet/losses': () => import('@scratchnet/losses'),
  '@scratchnet/optimisers': () => import('@scratchnet/optimisers'),
  '@scratchnet/initialisers': () => import('@scratchnet/initialisers'),
  '@scratchnet/datasets': () => import('@scratchnet/datasets'),
  'scratchnet-plugin-extras': () => import('scratchnet-plugin-extras'),
};

describe('plugin package READMEs', () => {
  it('covers every plugin package', () => {
    expect(Object.keys(MODULES).sort()).toEqual(PLUGIN_PACKAGES.map((pkg) => pkg.name).sort());
  });

  it.each(PLUGIN_PACKAGES)('$dir/README.md has the options table of the current schemas', async (pkg) => {
    const path = join(ROOT, pkg.dir, 'README.md');
    expect(existsSync(path), `${pkg.dir}/README.md is missing`).toBe(true);
    const readme = readFileSync(path, 'utf8');
    const expected = withTables(readme, renderTables(pluginGroups(await MODULES[pkg.name]!(), pkg.lists)));
    expect(readme, `${pkg.dir}/README.md is stale: run \`node scripts/plugin-tables.mjs\` after \`pnpm build\``).toBe(expected);
  });
});

describe('withTables', () => {
  it('replaces only what is between the markers', () => {
    const readme = '# x\n\nintro\n\n<!-- plugin-options:start old -->\nold table\n<!-- plugin-options:end -->\n\n## after\n';
    const updated = withTables(readme, 'NEW');
    expect(updated.startsWith('# x\n\nintro\n\n<!-- plugin-options:start')).toBe(true);
    expect(updated.endsWith('<!-- plugin-options:end -->\n\n## after\n')).toBe(true);
    expect(updated).toContain('\n\nNEW\n\n');
    expect(updated).not.toContain('old table');
    expect(withTables(updated, 'NEW')).toBe(updated);
  });

  it('appends a section when the README has no markers yet', () => {
    expect(withTables('# x\n', 'T')).toMatch(/^# x\n\n## Plugin options\n\n.*\n\n<!-- plugin-options:start.*-->\n\nT\n\n<!-- plugin-options:end -->\n$/s);
  });
});
