import type { ConfigIssue } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { validateSweep } from './sweep-schema.js';

/** The smallest valid sweep file, as its YAML parses. */
const minimal = {
  name: 'lr-sweep',
  base: 'experiment.yaml',
  metric: { name: 'validation.accuracy' },
  parameters: { 'schedule.learningRate': { values: [0.1, 0.01] } },
};

/** A random search with one parameter spec `spec` under `lr`. */
const randomWith = (spec: unknown): unknown => ({ ...minimal, method: 'random', maxTrials: 4, parameters: { lr: spec } });

/** The one issue a file has (and that it has no value). */
function oneIssue(raw: unknown): ConfigIssue {
  const result = validateSweep(raw);
  expect(result.value).toBeUndefined();
  expect(result.issues).toHaveLength(1);
  return result.issues[0]!;
}

describe('validateSweep: defaults', () => {
  it('fills in method grid, seed 0 and the goal an accuracy has, without touching the input', () => {
    const raw = structuredClone(minimal);
    const result = validateSweep(raw);
    expect(result.issues).toEqual([]);
    expect(result.value).toEqual({
      name: 'lr-sweep',
      base: 'experiment.yaml',
      method: 'grid',
      seed: 0,
      metric: { name: 'validation.accuracy', goal: 'maximize' },
      parameters: { 'schedule.learningRate': { values: [0.1, 0.01] } },
    });
    expect(result.value).not.toHaveProperty('earlyTermination');
    expect(raw).toEqual(minimal);
  });

  it('takes the goal from the metric name unless the file gives one', () => {
    const goal = (metric: object) => validateSweep({ ...minimal, metric }).value?.metric;
    expect(goal({ name: 'train.accuracy' })).toEqual({ name: 'train.accuracy', goal: 'maximize' });
    expect(goal({ name: 'validation.loss' })).toEqual({ name: 'validation.loss', goal: 'minimize' });
    expect(goal({ name: 'train.loss' })).toEqual({ name: 'train.loss', goal: 'minimize' });
    expect(goal({ name: 'train.loss', goal: 'maximize' })).toEqual({ name: 'train.loss', goal: 'maximize' });
    expect(goal({ name: 'validation.accuracy', goal: 'minimize' })).toEqual({ name: 'validation.accuracy', goal: 'minimize' });
  });

  it('keeps what the file gives: method, seed, maxTrials, concurrency', () => {
    const result = validateSweep({ ...minimal, method: 'random', seed: 42, maxTrials: 20, concurrency: 4, parameters: { lr: { distribution: 'log-uniform', min: 1e-4, max: 0.3 } } });
    expect(result.issues).toEqual([]);
    expect(result.value).toMatchObject({ method: 'random', seed: 42, maxTrials: 20, concurrency: 4, parameters: { lr: { distribution: 'log-uniform', min: 1e-4, max: 0.3 } } });
  });

  it('gives ASHA reductionFactor 3 and minEpochs 1, and median minTrials 3 and minEpochs 1', () => {
    expect(validateSweep({ ...minimal, earlyTermination: { type: 'asha' } }).value?.earlyTermination).toEqual({ type: 'asha', minEpochs: 1, reductionFactor: 3 });
    expect(validateSweep({ ...minimal, earlyTermination: { type: 'median' } }).value?.earlyTermination).toEqual({ type: 'median', minEpochs: 1, minTrials: 3 });
    expect(validateSweep({ ...minimal, earlyTermination: { type: 'asha', minEpochs: 2, reductionFactor: 4 } }).value?.earlyTermination).toEqual({
      type: 'asha',
      minEpochs: 2,
      reductionFactor: 4,
    });
    expect(validateSweep({ ...minimal, earlyTermination: { type: 'median', minEpochs: 3, minTrials: 5 } }).value?.earlyTermination).toEqual({
      type: 'median',
      minEpochs: 3,
      minTrials: 5,
    });
  });

  it('holds value: x as values: [x], keeping paths (and a list value stays one value)', () => {
    const result = validateSweep({
      ...minimal,
      parameters: {
        weightInit: { value: { type: 'normal', std: 0.01 }, paths: ['model.layers[0].weightInit', 'model.layers[2].weightInit'] },
        'training.epochs': { value: 5 },
        'data.classes': { value: [0, 1] },
        seed: { values: [1, 2] },
      },
    });
    expect(result.issues).toEqual([]);
    expect(result.value!.parameters).toEqual({
      weightInit: { values: [{ type: 'normal', std: 0.01 }], paths: ['model.layers[0].weightInit', 'model.layers[2].weightInit'] },
      'training.epochs': { values: [5] },
      'data.classes': { values: [[0, 1]] },
      seed: { values: [1, 2] },
    });
    expect(result.value!.parameters['training.epochs']).not.toHaveProperty('value');
    // The file's order of parameters is the trials' order of columns.
    expect(Object.keys(result.value!.parameters)).toEqual(['weightInit', 'training.epochs', 'data.classes', 'seed']);
  });
});

describe('validateSweep: one issue per mistake, where it is, in words about the file', () => {
  it('suggests the key meant for an unknown top-level key', () => {
    const issue = oneIssue({ ...minimal, metrc: { name: 'train.loss' } });
    expect(issue.path).toEqual(['metrc']);
    expect(issue.message).toMatch(/^unknown key "metrc"; did you mean "metric"\? Sweep keys: name, base, method, metric, maxTrials/);
  });

  it('asks random search for maxTrials', () => {
    const issue = oneIssue({ ...minimal, method: 'random' });
    expect(issue).toEqual({ path: ['method'], message: expect.stringMatching(/random search needs maxTrials.*maxTrials: 20/) });
  });

  it('refuses a distribution in a grid', () => {
    const issue = oneIssue({ ...minimal, parameters: { lr: { distribution: 'uniform', min: 0, max: 1 } } });
    expect(issue.path).toEqual(['parameters', 'lr', 'distribution']);
    expect(issue.message).toMatch(/grid takes values.*method: random/);
  });

  it('refuses values together with a distribution, and value together with values', () => {
    const both = oneIssue(randomWith({ values: [0.1], distribution: 'uniform', min: 0, max: 1 }));
    expect(both.path).toEqual(['parameters', 'lr']);
    expect(both.message).toMatch(/^give one of values: \[\.\.\.\], value: x .* or distribution with min and max$/);
    expect(oneIssue({ ...minimal, parameters: { lr: { values: [1], value: 2 } } })).toEqual({ path: ['parameters', 'lr'], message: both.message });
    expect(oneIssue(randomWith({ value: 1, min: 0, max: 1 }))).toEqual({ path: ['parameters', 'lr'], message: both.message });
  });

  it('asks for values, value or a distribution when a parameter has none of them', () => {
    for (const spec of [{}, { paths: ['model.layers[0].units'] }]) {
      const issue = oneIssue({ ...minimal, parameters: { units: spec } });
      expect(issue.path).toEqual(['parameters', 'units']);
      expect(issue.message).toMatch(/^give values: \[a, b, \.\.\.\], value: x .*distribution: uniform \| log-uniform \| int-uniform with min and max$/);
    }
  });

  it('asks for max greater than min', () => {
    expect(oneIssue(randomWith({ distribution: 'uniform', min: 1, max: 1 }))).toEqual({
      path: ['parameters', 'lr', 'max'],
      message: 'max must be greater than min (found min 1, max 1)',
    });
    expect(oneIssue(randomWith({ distribution: 'int-uniform', min: 8, max: 2 }))).toEqual({
      path: ['parameters', 'lr', 'max'],
      message: 'max must be greater than min (found min 8, max 2)',
    });
  });

  it('asks a distribution for both min and max', () => {
    expect(oneIssue(randomWith({ distribution: 'uniform', min: 1 }))).toEqual({ path: ['parameters', 'lr'], message: 'uniform needs min and max' });
    expect(oneIssue(randomWith({ distribution: 'log-uniform', max: 1 }))).toEqual({ path: ['parameters', 'lr'], message: 'log-uniform needs min and max' });
  });

  it('asks log-uniform for min > 0', () => {
    expect(oneIssue(randomWith({ distribution: 'log-uniform', min: 0, max: 1 }))).toEqual({
      path: ['parameters', 'lr', 'min'],
      message: 'log-uniform needs min > 0 (found 0)',
    });
    expect(oneIssue(randomWith({ distribution: 'log-uniform', min: -1, max: 1 })).path).toEqual(['parameters', 'lr', 'min']);
  });

  it('asks int-uniform for whole numbers', () => {
    expect(oneIssue(randomWith({ distribution: 'int-uniform', min: 0.5, max: 3 }))).toEqual({
      path: ['parameters', 'lr'],
      message: 'int-uniform needs whole-number min and max (found 0.5 and 3)',
    });
    expect(oneIssue(randomWith({ distribution: 'int-uniform', min: 1, max: 3.5 })).message).toBe('int-uniform needs whole-number min and max (found 1 and 3.5)');
    expect(validateSweep(randomWith({ distribution: 'int-uniform', min: 16, max: 128 })).issues).toEqual([]);
  });

  it('says min and max go with a distribution', () => {
    for (const spec of [{ min: 0, max: 1 }, { min: 0 }, { max: 1 }]) {
      expect(oneIssue(randomWith(spec))).toEqual({ path: ['parameters', 'lr'], message: 'min and max go with distribution: uniform | log-uniform | int-uniform' });
    }
  });

  it("refuses the other rule's option", () => {
    expect(oneIssue({ ...minimal, earlyTermination: { type: 'asha', minTrials: 2 } })).toEqual({
      path: ['earlyTermination', 'minTrials'],
      message: 'minTrials belongs to type: median; ASHA takes minEpochs and reductionFactor',
    });
    expect(oneIssue({ ...minimal, earlyTermination: { type: 'median', reductionFactor: 2 } })).toEqual({
      path: ['earlyTermination', 'reductionFactor'],
      message: 'reductionFactor belongs to type: asha; median takes minEpochs and minTrials',
    });
  });

  it('lists the metrics, with a did-you-mean, for a bad metric name', () => {
    const issue = oneIssue({ ...minimal, metric: { name: 'validation.acuracy' } });
    expect(issue.path).toEqual(['metric', 'name']);
    expect(issue.message).toBe(
      'name must be one of "validation.accuracy", "validation.loss", "train.accuracy", "train.loss" (found "validation.acuracy"); did you mean "validation.accuracy"?',
    );
  });

  it('refuses an empty parameters map', () => {
    const issue = oneIssue({ ...minimal, parameters: {} });
    expect(issue.path).toEqual(['parameters']);
    expect(issue.message).toMatch(/^there is nothing to vary/);
  });

  it('says what an empty parameters map lacks in words about the file, not ajv', () => {
    const issue = oneIssue({ ...minimal, parameters: {} });
    expect(issue.message).not.toMatch(/must NOT have|1 properties/);
    expect(issue.message).toMatch(/nothing to vary/);
  });

  it('suggests the key meant inside a parameter', () => {
    const issue = oneIssue({ ...minimal, parameters: { lr: { vaules: [1] } } });
    expect(issue.path).toEqual(['parameters', 'lr', 'vaules']);
    expect(issue.message).toMatch(/^unknown key "vaules"; did you mean "values"\?/);
  });
});
