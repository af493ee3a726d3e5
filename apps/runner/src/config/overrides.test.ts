import { describe, expect, it } from 'vitest';
import { RunnerError } from '../exit-codes.js';
import { applyOverrides, overrideFor, overridesFromFlags, parseOverride } from './overrides.js';
import { parseYamlSource } from './yaml-source.js';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunnerError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('parseOverride', () => {
  it('parses dotted paths with list indices and YAML values', () => {
    expect(parseOverride('training.epochs=5')).toEqual({ label: '--set training.epochs=5', text: 'training.epochs=5', path: ['training', 'epochs'], value: 5 });
    expect(parseOverride('model.layers[2].units=64').path).toEqual(['model', 'layers', 2, 'units']);
    expect(parseOverride('model.layers.2.units=64').path).toEqual(['model', 'layers', 2, 'units']);
    expect(parseOverride('model.input=[1, 28, 28]').value).toEqual([1, 28, 28]);
    expect(parseOverride('optimiser={type: adam}').value).toEqual({ type: 'adam' });
    expect(parseOverride('name=a=b').value).toBe('a=b');
    expect(parseOverride('schedule.learningRate=1.0e-3').value).toBe(0.001);
  });

  it('rejects text that is not path=value', () => {
    expect(message(() => parseOverride('training.epochs'))).toContain('expected path=value');
    expect(message(() => parseOverride('=3'))).toContain('expected path=value');
    expect(message(() => parseOverride('training..epochs=3'))).toContain('is not a config path');
    expect(message(() => parseOverride('training.epochs='))).toContain('no value after "="');
    expect(message(() => parseOverride('x=[1, 2'))).toContain('not valid YAML');
  });
});

describe('applyOverrides', () => {
  const text = 'training: { epochs: 3 }\nmodel:\n  layers:\n    - relu\n    - { type: dense, units: 10 }\n';

  it('writes values into the document, creating missing maps', () => {
    const source = parseYamlSource(text, 'x.yaml');
    applyOverrides(source.doc, [
      parseOverride('training.epochs=7'),
      parseOverride('model.layers[1].units=20'),
      parseOverride('loss.type=quadratic'),
      parseOverride('model.layers[2]=softmax'),
    ]);
    expect(source.doc.toJS()).toEqual({
      training: { epochs: 7 },
      model: { layers: ['relu', { type: 'dense', units: 20 }, 'softmax'] },
      loss: { type: 'quadratic' },
    });
  });

  it('refuses to set inside a scalar or past the end of a list', () => {
    const source = parseYamlSource(text, 'x.yaml');
    expect(message(() => applyOverrides(source.doc, [parseOverride('model.layers[0].slope=0.1')]))).toContain(
      'cannot set model.layers[0].slope',
    );
    expect(message(() => applyOverrides(source.doc, [parseOverride('model.layers[5]=relu')]))).toContain(
      'model.layers has 2 items, so index 5 is out of range',
    );
  });

  it('finds the override responsible for an issue path', () => {
    const overrides = [parseOverride('training.epochs=0'), parseOverride('model.layers[1]={type: dense}')];
    expect(overrideFor(overrides, ['training', 'epochs'])?.text).toBe('training.epochs=0');
    expect(overrideFor(overrides, ['model', 'layers', 1, 'units'])?.text).toBe('model.layers[1]={type: dense}');
    expect(overrideFor(overrides, ['model', 'layers', 0])).toBeUndefined();
    expect(overrideFor(overrides, ['training'])).toBeUndefined();
  });
});

describe('overridesFromFlags', () => {
  it('turns --seed, --backend and --threads into the --set they stand for, before every --set', () => {
    const overrides = overridesFromFlags({ set: ['training.epochs=2'], seed: '5', backend: 'js', threads: '0' });
    expect(overrides.map((o) => [o.label, o.path, o.value])).toEqual([
      ['--seed 5', ['seed'], 5],
      ['--backend js', ['training', 'backend'], 'js'],
      ['--threads 0', ['training', 'threads'], 0],
      ['--set training.epochs=2', ['training', 'epochs'], 2],
    ]);
  });
});
