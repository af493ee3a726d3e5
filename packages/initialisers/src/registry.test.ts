import { describe, expect, it } from 'vitest';
import { createRegistry } from '@scratchnet/registry';
import { initialisers } from './index.js';
import { schemaDefaults } from './test-support.js';

// The registry compiles each schema with ajv in strict mode on registration and fills defaults
// when validating, so these tests check the schemas as configs will meet them.
function registry() {
  const r = createRegistry();
  for (const plugin of initialisers) r.register(plugin, '@scratchnet/initialisers');
  return r;
}

describe('schemas in the registry', () => {
  it('compile, and the bare id validates to the schema defaults', () => {
    const r = registry();
    for (const plugin of initialisers) {
      const result = r.validateOptions('initialiser', plugin.type);
      expect(result.issues).toEqual([]);
      expect(result.value).toEqual({ type: plugin.type, ...schemaDefaults(plugin.optionsSchema) });
    }
  });

  it('validates the README references and rejects bad values', () => {
    const r = registry();
    expect(r.validateOptions('initialiser', { type: 'xavier-uniform', gain: 1.0 }).issues).toEqual([]);
    expect(r.validateOptions('initialiser', { type: 'normal', std: -1 }).issues).toHaveLength(1);
    expect(r.validateOptions('initialiser', { type: 'xavier-normal', gain: 0 }).issues).toHaveLength(1);
    expect(r.validateOptions('initialiser', { type: 'he-normal', gain: 2 }).issues.map((i) => i.message)).toEqual([
      expect.stringContaining('unknown option "gain"'),
    ]);
  });
});
