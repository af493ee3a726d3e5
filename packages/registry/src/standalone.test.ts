import { readFileSync } from 'node:fs';
import { InvalidPluginError, type PluginRegistry } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createRegistry as createBrowserRegistry } from './create-registry.browser.js';
import { createRegistry } from './create-registry.js';
import { precompiledCompiler, type PrecompiledValidator, type SchemaCompiler } from './schema-compiler.js';
import { standaloneValidators } from './standalone.js';
import { dense, fakePlugins } from './test-plugins.js';

const registerFakes = (registry: PluginRegistry): void => {
  for (const plugin of fakePlugins) registry.register(plugin, 'fakes');
};
const buildFakes = (compile: SchemaCompiler): void => registerFakes(createRegistry({ compile }));

/** Imports generated module source the way a page would: as an ES module, not through eval. */
async function importModule(source: string): Promise<{ validators: Record<string, PrecompiledValidator> }> {
  return (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as {
    validators: Record<string, PrecompiledValidator>;
  };
}

describe('standaloneValidators', () => {
  it('writes a self-contained ES module with one validator per registered schema', async () => {
    const source = standaloneValidators(buildFakes);
    expect(source).not.toMatch(/\brequire\(|new Function|\beval\(/);
    const { validators } = await importModule(source);
    expect(Object.keys(validators).sort()).toEqual(fakePlugins.map((p) => `${p.kind}:${p.type}`).sort());
  });

  it('validates exactly as the ajv-compiled registry does: defaults, errors and nested references', async () => {
    const { validators } = await importModule(standaloneValidators(buildFakes));
    const precompiled = createRegistry({ compile: precompiledCompiler(validators) });
    const compiled = createRegistry();
    registerFakes(precompiled);
    registerFakes(compiled);
    const refs: [kind: 'layer' | 'optimiser', ref: unknown][] = [
      ['layer', { type: 'dense', units: 30 }],
      ['layer', { type: 'dense', units: 30, weightInit: { type: 'normal' } }],
      ['layer', { type: 'dense', units: 0, colour: 'red' }],
      ['layer', { type: 'dense', units: 3, weightInit: 'he-normall' }],
      ['layer', { type: 'dropout', rate: 1 }],
      ['layer', 'relu'],
      ['optimiser', { type: 'sgd', learningRate: '0.1' }],
    ];
    for (const [kind, ref] of refs) {
      expect(precompiled.validateOptions(kind, ref, ['model'])).toEqual(compiled.validateOptions(kind, ref, ['model']));
    }
    expect(precompiled.validateOptions('layer', { type: 'dense', units: 30 }).value).toEqual({
      type: 'dense',
      units: 30,
      weightInit: { type: 'he-normal' },
      biasInit: { type: 'zeros' },
      useBias: true,
    });
    expect(precompiled.validateOptions('layer', { type: 'dense', units: 0 }).issues[0]?.message).toMatch(/units/);
  });

  it('refuses a plugin it has no validator for, and one whose schema changed since', async () => {
    const { validators } = await importModule(standaloneValidators((compile) => createRegistry({ compile }).register(dense, 'fakes')));
    const missing = createRegistry({ compile: precompiledCompiler(validators) });
    expect(() => registerFakes(missing)).toThrow(/no precompiled validator/);
    const changed = createRegistry({ compile: precompiledCompiler(validators) });
    const properties = { ...(dense.optionsSchema.properties as object), extra: { type: 'string' } };
    const wider = { ...dense, optionsSchema: { ...dense.optionsSchema, properties } };
    expect(() => changed.register(wider, 'fakes')).toThrow(/made from a different options schema/);
  });

  it('refuses schemas whose validators would need ajv run-time helpers a page cannot import', () => {
    const unique = { ...dense, type: 'unique', references: {}, optionsSchema: { type: 'object', properties: { sizes: { type: 'array', items: { type: 'object' }, uniqueItems: true } } } };
    expect(() => standaloneValidators((compile) => createRegistry({ compile }).register(unique as never, 'fakes'))).toThrow(/run-time helpers/);
  });
});

describe('the browser entry', () => {
  it('compiles nothing: registering without precompiled validators says what to pass', () => {
    const registry = createBrowserRegistry();
    expect(() => registry.register(dense, 'fakes')).toThrow(InvalidPluginError);
    expect(() => registry.register(dense, 'fakes')).toThrow(/precompiledCompiler\(validators\)/);
  });

  it('imports no ajv code, only ajv types', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const [, typeOnly, spec] of source.matchAll(/^(?:import|export)( type)?[^;]*?from '([^']+)'/gms)) {
        if (typeOnly !== undefined) continue;
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^ajv/);
        if (spec!.startsWith('./')) visit(spec!.replace(/\.js$/, '.ts'));
      }
    };
    visit('./browser.ts');
    expect(seen.has('./registry.ts')).toBe(true);
    expect(seen.size).toBeGreaterThan(8);
  });
});
