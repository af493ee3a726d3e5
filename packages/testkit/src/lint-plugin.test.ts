import { InvalidPluginError, defineInitialiser, defineLayer, pluginRefSchema, type Plugin } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { assertPluginValid, lintPlugin } from './lint-plugin.js';

const unused = (): never => {
  throw new Error('lint fixture: not meant to be called');
};

const scaleLayer = defineLayer({
  kind: 'layer',
  type: 'scale-by',
  specVersion: 1,
  description: 'Multiplies the input by a constant.',
  optionsSchema: { type: 'object', properties: { factor: { type: 'number', default: 2 } } },
  outputShape: (shape) => shape,
  create: unused,
});

const denseLike = defineLayer({
  kind: 'layer',
  type: 'dense-like',
  specVersion: 1,
  description: 'A layer with a required option and an initialiser reference.',
  optionsSchema: {
    type: 'object',
    properties: { units: { type: 'integer', minimum: 1 }, weightInit: pluginRefSchema('he-normal') },
    required: ['units'],
  },
  references: { weightInit: 'initialiser' },
  outputShape: unused,
  create: unused,
});

const broken = (changes: Record<string, unknown>, base: Plugin = scaleLayer as Plugin): Plugin => ({ ...base, ...changes }) as unknown as Plugin;

describe('lintPlugin', () => {
  it('passes a plugin whose options all have defaults', () => {
    expect(lintPlugin(scaleLayer as Plugin)).toEqual({ ok: true, problems: [] });
    expect(() => assertPluginValid(scaleLayer as Plugin)).not.toThrow();
  });

  it('passes a plugin with required options when given an example, standing in for referenced plugins', () => {
    expect(lintPlugin(denseLike as Plugin, { example: { units: 4 } })).toEqual({ ok: true, problems: [] });
    const example = { units: 4, weightInit: { type: 'acme/normal', std: 0.1 } };
    expect(lintPlugin(denseLike as Plugin, { example }).ok).toBe(true);
  });

  it('uses the referenced plugins it is given', () => {
    const heNormal = defineInitialiser({
      kind: 'initialiser',
      type: 'he-normal',
      specVersion: 1,
      description: 'He normal.',
      optionsSchema: { type: 'object', properties: { gain: { type: 'number', default: 1 } } },
      create: unused,
    });
    const plugins = [heNormal as Plugin];
    expect(lintPlugin(denseLike as Plugin, { example: { units: 4 }, plugins }).ok).toBe(true);
    const result = lintPlugin(denseLike as Plugin, { example: { units: 4, weightInit: { type: 'he-normal', gain: -1, gian: 1 } }, plugins });
    expect(result.problems).toEqual([
      'layer "dense-like": the example options do not validate:\n' +
        'weightInit.gian (he-normal): unknown option "gian"; did you mean "gain"? Options of he-normal: gain',
    ]);
  });

  it('asks for an example when the schema has required options', () => {
    expect(lintPlugin(denseLike as Plugin).problems).toEqual([
      'layer "dense-like": declares required options (units); pass options that satisfy them, e.g. lintPlugin(plugin, { example: { units: ... } }).',
    ]);
  });

  it('reports a default that breaks its own schema (an optional option without a default is fine)', () => {
    const badDefault = broken({ optionsSchema: { type: 'object', properties: { factor: { type: 'number' }, mode: { enum: ['a', 'b'], default: 'c' } } } });
    expect(lintPlugin(badDefault).problems).toEqual([
      'layer "scale-by": { type: "scale-by" } alone must validate' +
        ' (give every option a default, or list it in required and pass an example), but:\n' +
        'mode (scale-by): mode must be one of "a", "b" (found "c"); did you mean "a"?',
    ]);
  });

  it('reports a missing description and keeps checking the rest', () => {
    const result = lintPlugin(broken({ description: '', optionsSchema: { type: 'object', properties: { factor: { type: 'number', minimum: 1, default: 0 } } } }));
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toBe('layer "scale-by": description is missing; give a one-line summary (it is what `runner plugins` shows).');
    expect(result.problems[1]).toContain('factor must be a number >= 1 (found 0)');
  });

  it('reports a schema that does not compile in strict mode', () => {
    const result = lintPlugin(broken({ optionsSchema: { type: 'object', properties: { factor: { type: 'number', defualt: 2 } } } }));
    expect(result).toEqual({
      ok: false,
      problems: ['lintPlugin: layer "scale-by": optionsSchema does not compile (ajv strict mode): strict mode: unknown keyword: "defualt". Fix the schema.'],
    });
  });

  it('reports an invalid id or specVersion', () => {
    expect(lintPlugin(broken({ type: 'ScaleBy' })).problems[0]).toContain('id "ScaleBy" is not kebab-case');
    expect(lintPlugin(broken({ specVersion: 0 })).problems[0]).toContain('specVersion 0 is not supported');
  });

  it('finds unknown options rejected even when the plugin allowed them', () => {
    expect(lintPlugin(broken({ optionsSchema: { type: 'object', additionalProperties: true } })).ok).toBe(true);
  });
});

describe('assertPluginValid', () => {
  it('throws InvalidPluginError listing every problem', () => {
    let error: unknown;
    try {
      assertPluginValid(broken({ description: undefined }), {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidPluginError);
    expect((error as Error).message).toBe(
      'lintPlugin: 1 problem(s):\n- layer "scale-by": description is missing; give a one-line summary (it is what `runner plugins` shows).',
    );
  });
});
