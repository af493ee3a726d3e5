import { EXPERIMENT_NAME_PATTERN, createDocumentValidator } from '@scratchnet/registry';
import type { ConfigIssue, ValidationResult } from '@scratchnet/spec';
import type { SweepSpec } from './sweep-spec.js';

const METRICS = ['validation.accuracy', 'validation.loss', 'train.accuracy', 'train.loss'];

/**
 * The sweep file's JSON schema. Parameter specs and rules are single objects checked further in
 * `sweepIssues`, not `oneOf` branches: a mistake in a branch would otherwise be reported once
 * per branch, in words about schemas instead of about the file.
 */
export const SWEEP_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'scratchnet sweep',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'base', 'metric', 'parameters'],
  properties: {
    name: { type: 'string', pattern: EXPERIMENT_NAME_PATTERN, description: 'Names the sweep folder sweeps/<name>-<time>.' },
    base: { type: 'string', minLength: 1, description: 'The experiment config every trial starts from, relative to this file.' },
    method: { enum: ['grid', 'random'], default: 'grid', description: 'grid: every combination of values; random: maxTrials draws.' },
    metric: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { enum: METRICS }, goal: { enum: ['maximize', 'minimize'] } },
    },
    maxTrials: { type: 'integer', minimum: 1, maximum: 10000 },
    concurrency: { type: 'integer', minimum: 1, maximum: 256, description: 'Trials at once on the local pool (default: cores).' },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Seeds the random draws of parameters.' },
    parameters: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          values: { type: 'array', minItems: 1 },
          value: {},
          paths: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          distribution: { enum: ['uniform', 'log-uniform', 'int-uniform'] },
          min: { type: 'number' },
          max: { type: 'number' },
        },
      },
    },
    earlyTermination: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { enum: ['asha', 'median'] },
        minEpochs: { type: 'integer', minimum: 1, default: 1 },
        reductionFactor: { type: 'integer', minimum: 2 },
        minTrials: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const;

type RawSweep = Omit<SweepSpec, 'metric' | 'earlyTermination'> & {
  readonly metric: { readonly name: SweepSpec['metric']['name']; readonly goal?: SweepSpec['metric']['goal'] };
  readonly earlyTermination?: { type: 'asha' | 'median'; minEpochs: number; reductionFactor?: number; minTrials?: number };
};

/** Validates a sweep file's value: the schema, then what it cannot say. */
export function validateSweep(raw: unknown): ValidationResult<SweepSpec> {
  const validate = createDocumentValidator<RawSweep>(SWEEP_SCHEMA, { noun: 'key', listIntro: 'Sweep keys', none: 'no keys are allowed' });
  const result = validate(raw);
  if (result.value === undefined) return { issues: result.issues };
  const issues = sweepIssues(result.value);
  if (issues.length > 0) return { issues };
  const { metric, earlyTermination: rule, parameters: written, ...rest } = result.value;
  // `value: x` is held as a one-value list: the same code expands, checks and reports it.
  const parameters = Object.fromEntries(
    Object.entries(written).map(([key, spec]) => {
      if (!('value' in spec)) return [key, spec];
      const { value, ...others } = spec as { value: unknown };
      return [key, { ...others, values: [value] }];
    }),
  );
  const goal = metric.goal ?? (metric.name.endsWith('accuracy') ? 'maximize' : 'minimize');
  const spec: SweepSpec = {
    ...rest,
    parameters,
    metric: { name: metric.name, goal },
    ...(rule === undefined
      ? {}
      : {
          earlyTermination:
            rule.type === 'asha'
              ? { type: 'asha', minEpochs: rule.minEpochs, reductionFactor: rule.reductionFactor ?? 3 }
              : { type: 'median', minEpochs: rule.minEpochs, minTrials: rule.minTrials ?? 3 },
        }),
  };
  return { value: spec, issues: [] };
}

function sweepIssues(sweep: RawSweep): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: (string | number)[], message: string): void => void issues.push({ path, message });
  if (sweep.method === 'random' && sweep.maxTrials === undefined) {
    add(['method'], 'random search needs maxTrials: how many trials to draw (e.g. maxTrials: 20)');
  }
  if (Object.keys(sweep.parameters).length === 0) {
    add(['parameters'], 'there is nothing to vary: give at least one config path, e.g. schedule.learningRate: { values: [0.01, 0.1] }');
  }
  for (const [path, spec] of Object.entries(sweep.parameters)) {
    const at = ['parameters', path];
    const { values, distribution, min, max } = spec as { values?: unknown[]; distribution?: string; min?: number; max?: number };
    const kinds = [values !== undefined, 'value' in spec, distribution !== undefined || min !== undefined || max !== undefined].filter(Boolean).length;
    if (kinds > 1) {
      add(at, 'give one of values: [...], value: x (the same in every trial) or distribution with min and max');
    } else if (kinds === 0) {
      add(at, 'give values: [a, b, ...], value: x (the same in every trial) or distribution: uniform | log-uniform | int-uniform with min and max');
    } else if (distribution === undefined && values === undefined && !('value' in spec)) {
      add(at, 'min and max go with distribution: uniform | log-uniform | int-uniform');
    } else if (distribution !== undefined) {
      if (sweep.method === 'grid') add([...at, 'distribution'], 'a grid takes values: [...]; draw from a distribution with method: random');
      if (min === undefined || max === undefined) add(at, `${distribution} needs min and max`);
      else if (!(min < max)) add([...at, 'max'], `max must be greater than min (found min ${min}, max ${max})`);
      else if (distribution === 'log-uniform' && min <= 0) add([...at, 'min'], `log-uniform needs min > 0 (found ${min})`);
      else if (distribution === 'int-uniform' && !(Number.isInteger(min) && Number.isInteger(max))) {
        add(at, `int-uniform needs whole-number min and max (found ${min} and ${max})`);
      }
    }
  }
  const rule = sweep.earlyTermination;
  if (rule?.type === 'asha' && rule.minTrials !== undefined) add(['earlyTermination', 'minTrials'], 'minTrials belongs to type: median; ASHA takes minEpochs and reductionFactor');
  if (rule?.type === 'median' && rule.reductionFactor !== undefined) {
    add(['earlyTermination', 'reductionFactor'], 'reductionFactor belongs to type: asha; median takes minEpochs and minTrials');
  }
  return issues;
}
