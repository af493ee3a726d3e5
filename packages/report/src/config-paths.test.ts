import { describe, expect, it } from 'vitest';
import { differingSettings, flattenConfig } from './config-paths.js';

describe('flattenConfig', () => {
  it('names every leaf by its dotted path with list indices', () => {
    const config = {
      name: 'digits',
      model: { input: [1024], layers: [{ type: 'dense', weightInit: { type: 'normal', std: 1 } }, 'sigmoid'] },
      training: { epochs: 40, shuffle: true, extra: null },
    };
    expect([...flattenConfig(config)]).toEqual([
      ['name', 'digits'],
      ['model.input[0]', '1024'],
      ['model.layers[0].type', 'dense'],
      ['model.layers[0].weightInit.type', 'normal'],
      ['model.layers[0].weightInit.std', '1'],
      ['model.layers[1]', 'sigmoid'],
      ['training.epochs', '40'],
      ['training.shuffle', 'true'],
      ['training.extra', 'null'],
    ]);
  });

  it('keeps empty objects and lists as leaves and quotes keys that are not identifiers', () => {
    expect([...flattenConfig({ a: {}, b: [], 'odd key': 1, 'with.dot': 2 })]).toEqual([
      ['a', '{}'],
      ['b', '[]'],
      ['["odd key"]', '1'],
      ['["with.dot"]', '2'],
    ]);
  });

  it('stops at a reference loop', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect([...flattenConfig(loop)]).toEqual([
      ['a', '1'],
      ['self', '(circular)'],
    ]);
  });
});

describe('differingSettings', () => {
  it('lists only the paths whose values differ, a missing path counting as different', () => {
    const base = (init: string, extra?: number) => ({
      name: `run-${init}`,
      seed: 1,
      model: { layers: [{ type: 'dense', weightInit: { type: init } }] },
      ...(extra === undefined ? {} : { training: { epochs: extra } }),
    });
    expect(differingSettings([base('normal'), base('he'), base('xavier', 5)])).toEqual([
      { path: 'name', values: ['run-normal', 'run-he', 'run-xavier'] },
      { path: 'model.layers[0].weightInit.type', values: ['normal', 'he', 'xavier'] },
      { path: 'training.epochs', values: [undefined, undefined, '5'] },
    ]);
  });

  it('finds nothing for identical configs', () => {
    expect(differingSettings([{ a: [1, 2] }, { a: [1, 2] }])).toEqual([]);
  });
});
