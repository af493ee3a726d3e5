import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describeValue, expandTrials, type TrialSource } from './expand-trials.js';

const grid = (parameters: TrialSource['parameters'], maxTrials?: number): TrialSource => ({ method: 'grid', seed: 0, maxTrials, parameters });
const random = (parameters: TrialSource['parameters'], maxTrials: number, seed = 7): TrialSource => ({ method: 'random', seed, maxTrials, parameters });

/** The values drawn for `key` over `count` trials. */
const draws = (key: string, parameter: TrialSource['parameters'][string], count: number, seed = 7): number[] =>
  expandTrials(random({ [key]: parameter }, count, seed)).map((trial) => trial.parameters[key] as number);

describe('expandTrials: grid', () => {
  const parameters = { 'schedule.learningRate': { values: [0.1, 0.01] }, 'model.layers[0].units': { values: [16, 32, 64] }, optimiser: { values: ['sgd', { type: 'adam' }] } };

  it('is the cartesian product with the first parameter varying slowest', () => {
    const trials = expandTrials(grid(parameters));
    expect(trials).toHaveLength(12);
    expect(trials.map((t) => Object.values(t.parameters))).toEqual([
      [0.1, 16, 'sgd'],
      [0.1, 16, { type: 'adam' }],
      [0.1, 32, 'sgd'],
      [0.1, 32, { type: 'adam' }],
      [0.1, 64, 'sgd'],
      [0.1, 64, { type: 'adam' }],
      [0.01, 16, 'sgd'],
      [0.01, 16, { type: 'adam' }],
      [0.01, 32, 'sgd'],
      [0.01, 32, { type: 'adam' }],
      [0.01, 64, 'sgd'],
      [0.01, 64, { type: 'adam' }],
    ]);
    expect(trials.map((t) => t.index)).toEqual([...Array(12).keys()]);
    for (const trial of trials) expect(Object.keys(trial.parameters)).toEqual(Object.keys(parameters));
  });

  it('keeps the first maxTrials points', () => {
    const all = expandTrials(grid(parameters));
    expect(expandTrials(grid(parameters, 5))).toEqual(all.slice(0, 5));
    expect(expandTrials(grid(parameters, 100))).toEqual(all);
  });

  it('truncates a huge grid without building it', () => {
    const ten = { values: [...Array(10).keys()] };
    const trials = expandTrials(grid({ a: ten, b: ten, c: ten, d: ten, e: ten, f: ten, g: ten, h: ten }, 3));
    expect(trials.map((t) => t.parameters['h'])).toEqual([0, 1, 2]);
  });

  it('rejects a distribution, an empty list and a bad maxTrials', () => {
    expect(() => expandTrials(grid({ lr: { distribution: 'uniform', min: 0, max: 1 } }))).toThrow(/grid takes values/);
    expect(() => expandTrials(grid({ lr: { values: [] } }))).toThrow(/non-empty/);
    expect(() => expandTrials(grid(parameters, 0))).toThrow(/maxTrials/);
    expect(() => expandTrials(grid(parameters, 2.5))).toThrow(/maxTrials/);
  });
});

describe('expandTrials: random', () => {
  const parameters: TrialSource['parameters'] = {
    'schedule.learningRate': { distribution: 'log-uniform', min: 1e-4, max: 1e-1 },
    'optimiser.momentum': { distribution: 'uniform', min: 0.5, max: 0.99 },
    'model.layers[0].units': { distribution: 'int-uniform', min: 16, max: 128 },
    'model.layers[1].type': { values: ['relu', 'tanh', 'sigmoid'] },
  };

  it('needs maxTrials', () => {
    expect(() => expandTrials({ method: 'random', seed: 1, parameters })).toThrow(/needs maxTrials/);
  });

  it('draws the same trials, bit for bit, from the same spec', () => {
    const a = expandTrials(random(parameters, 20));
    const b = expandTrials(random(parameters, 20));
    expect(b).toEqual(a);
    for (let i = 0; i < a.length; i++) {
      for (const key of Object.keys(parameters)) expect(Object.is(a[i]!.parameters[key], b[i]!.parameters[key])).toBe(true);
    }
    expect(a.map((t) => Object.keys(t.parameters))).toEqual(a.map(() => Object.keys(parameters)));
  });

  it('draws different trials from a different seed', () => {
    const a = expandTrials(random(parameters, 10, 1)).map((t) => t.parameters);
    const b = expandTrials(random(parameters, 10, 2)).map((t) => t.parameters);
    expect(b).not.toEqual(a);
    expect(b.filter((p, i) => p['schedule.learningRate'] === a[i]!['schedule.learningRate'])).toHaveLength(0);
  });

  it('draws trial k the same whatever maxTrials is', () => {
    expect(expandTrials(random(parameters, 5)).map((t) => t.parameters)).toEqual(
      expandTrials(random(parameters, 50)).slice(0, 5).map((t) => t.parameters),
    );
  });

  it('keeps every draw within its bounds', () => {
    const uniform = draws('u', { distribution: 'uniform', min: -2, max: 3 }, 1000);
    expect(uniform.every((v) => v >= -2 && v < 3)).toBe(true);
    const log = draws('l', { distribution: 'log-uniform', min: 1e-5, max: 1 }, 1000);
    expect(log.every((v) => v >= 1e-5 && v < 1)).toBe(true);
    const ints = draws('i', { distribution: 'int-uniform', min: -3, max: 4 }, 1000);
    expect(ints.every((v) => Number.isInteger(v) && v >= -3 && v <= 4)).toBe(true);
    const picks = expandTrials(random({ p: { values: ['a', 'b', 'c'] } }, 1000)).map((t) => t.parameters['p']);
    expect(new Set(picks)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('int-uniform reaches both ends', () => {
    const ints = draws('i', { distribution: 'int-uniform', min: 1, max: 5 }, 200);
    expect(new Set(ints)).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(draws('i', { distribution: 'int-uniform', min: 9, max: 9 }, 3)).toEqual([9, 9, 9]);
  });

  it('log-uniform puts half the draws below the geometric mean', () => {
    const log = draws('l', { distribution: 'log-uniform', min: 1e-4, max: 1 }, 2000);
    const below = log.filter((v) => v < 1e-2).length / log.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
    // A plain uniform draw would put about 1% of them below 1e-2.
    expect(log.filter((v) => v < 1e-3).length / log.length).toBeGreaterThan(0.2);
  });

  it('keeps full doubles that survive printing and YAML parsing exactly', () => {
    const log = draws('l', { distribution: 'log-uniform', min: 1e-6, max: 1e-1 }, 500);
    expect(log.some((v) => String(v).replace(/^0\.0*|e.*$|\./g, '').length > 6)).toBe(true);
    for (const v of log) {
      expect(Number(String(v))).toBe(v);
      expect(parse(String(v))).toBe(v);
      expect(parse(`lr: ${String(v)}`)).toEqual({ lr: v });
    }
  });

  it('rejects impossible distributions', () => {
    expect(() => draws('l', { distribution: 'log-uniform', min: 0, max: 1 }, 1)).toThrow(/min > 0/);
    expect(() => draws('u', { distribution: 'uniform', min: 1, max: 1 }, 1)).toThrow(/min < max/);
    expect(() => draws('i', { distribution: 'int-uniform', min: 0.5, max: 3 }, 1)).toThrow(/integers/);
    expect(() => draws('i', { distribution: 'int-uniform', min: 3, max: 2 }, 1)).toThrow(/integers/);
  });
});

describe('expandTrials: ids', () => {
  const ids = (count: number): string[] => expandTrials(grid({ n: { values: [...Array(count).keys()] } })).map((t) => t.id);

  it('pads to three digits, or to the width of the count', () => {
    expect(ids(24)).toEqual([...Array(24).keys()].map((i) => `t${String(i + 1).padStart(3, '0')}`));
    expect(ids(1)).toEqual(['t001']);
    expect(ids(999).at(-1)).toBe('t999');
    const thousand = ids(1000);
    expect([thousand[0], thousand[998], thousand[999]]).toEqual(['t0001', 't0999', 't1000']);
    expect(expandTrials(random({}, 12)).map((t) => t.id).slice(0, 2)).toEqual(['t001', 't002']);
  });
});

describe('describeValue', () => {
  it('labels numbers, strings, lists and objects briefly', () => {
    expect(describeValue(0.012345678)).toBe('0.01235');
    expect(describeValue(0.01234)).toBe('0.01234');
    expect(describeValue(1.23456789e-7)).toBe('1.235e-7');
    expect(describeValue(64)).toBe('64');
    expect(describeValue(1e21)).toBe('1e+21');
    expect(describeValue(-2.5)).toBe('-2.5');
    expect(describeValue('relu')).toBe('relu');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([64, 32])).toBe('[64, 32]');
    expect(describeValue({ type: 'xavier', gain: Math.SQRT2 })).toBe('{type: xavier, gain: 1.414}');
    expect(describeValue({ type: 'sgd', momentum: { rate: 0.9 }, steps: [1, 2] })).toBe('{type: sgd, momentum: {rate: 0.9}, steps: [1, 2]}');
    expect(describeValue({})).toBe('{}');
  });
});
