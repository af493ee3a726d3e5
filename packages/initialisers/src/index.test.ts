import { describe, expect, it } from 'vitest';
import { SPEC_VERSION } from '@scratchnet/spec';
import { initialisers } from './index.js';

describe('initialisers', () => {
  it('lists every built-in once with a kebab-case id', () => {
    expect(initialisers.map((p) => p.type)).toEqual([
      'zeros',
      'constant',
      'uniform',
      'normal',
      'scaled-normal',
      'xavier-uniform',
      'xavier-normal',
      'he-normal',
      'he-uniform',
      'lecun-normal',
    ]);
    for (const plugin of initialisers) {
      expect(plugin.kind).toBe('initialiser');
      expect(plugin.specVersion).toBe(SPEC_VERSION);
      expect(plugin.type).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    }
  });

  it('gives every option a default and a description, and rejects unknown keys', () => {
    for (const plugin of initialisers) {
      const schema = plugin.optionsSchema as { type: string; additionalProperties: boolean; properties: object };
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      for (const property of Object.values(schema.properties) as { default?: unknown; description?: string }[]) {
        expect(property.default).toBeDefined();
        expect(property.description).toEqual(expect.any(String));
      }
    }
  });
});
