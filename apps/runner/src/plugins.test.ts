import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPluginPackages } from './plugins.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-plugins-'));
  await writeFile(join(dir, 'good.mjs'), "export default { meta: { name: 'good', version: '1.0.0', namespace: 'acme' }, layers: [] };\n");
  await writeFile(join(dir, 'no-default.mjs'), 'export const layers = [];\n');
  await writeFile(join(dir, 'no-meta.mjs'), 'export default { layers: [] };\n');
  await writeFile(join(dir, 'extra-key.mjs'), "export default { meta: { name: 'x', version: '1', namespace: 'x' }, layer: [] };\n");
  await writeFile(join(dir, 'throws.mjs'), "throw new Error('import failed on purpose');\n");
  await writeFile(join(dir, 'hangs.mjs'), 'await new Promise(() => {});\nexport default {};\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadPluginPackages', () => {
  it('imports a path relative to the config folder', async () => {
    const { packages, issues } = await loadPluginPackages(['./good.mjs'], dir);
    expect(issues).toEqual([]);
    expect(packages.map((p) => [p.entry, p.index, p.pkg.meta.namespace])).toEqual([['./good.mjs', 0, 'acme']]);
  });

  it('reports each broken entry at its plugins[i] path and keeps going', async () => {
    const { packages, issues } = await loadPluginPackages(
      ['./no-default.mjs', './no-meta.mjs', './extra-key.mjs', './throws.mjs', './absent.mjs', 'scratchnet-plugin-absent', 42],
      dir,
    );
    expect(packages).toEqual([]);
    expect(issues.map((i) => [i.path[1], i.message.split(';')[0]])).toEqual([
      [0, './no-default.mjs has no default export'],
      [1, './no-meta.mjs default-exports an object without `meta`'],
      [2, './extra-key.mjs has an unexpected key "layer" (allowed: meta, layers, losses, optimisers, schedules, initialisers, datasets, preprocessors, augmentations)'],
      [3, 'importing plugin module ./throws.mjs failed: import failed on purpose.'],
      [4, expect.stringContaining('cannot find the plugin module ./absent.mjs')],
      [5, expect.stringContaining('cannot find the plugin package "scratchnet-plugin-absent"')],
    ]);
  });

  it('gives up on a module whose import never settles, with a message at its entry', async () => {
    const { packages, issues } = await loadPluginPackages(['./hangs.mjs', './good.mjs'], dir, 200);
    expect(packages.map((p) => p.entry)).toEqual(['./good.mjs']);
    expect(issues).toEqual([
      { path: ['plugins', 0], message: expect.stringMatching(/^plugin module \.\/hangs\.mjs did not finish importing within 0\.2 s/) },
    ]);
  });
});
