import type { ExperimentConfig, JsonSchema, TrainingConfig, ValidationMonitor } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from './envelope.js';
import { fakeRegistry } from './test-plugins.js';

// The envelope schema (what files may say) and ExperimentConfig (what code reads) are written by
// hand in two packages; these tests hold them to one shape. `Complete` makes every optional
// field required, so a field added to the types but not to `complete` below fails the typecheck,
// and the key comparison fails when the schema has a field the types lack, or the other way.
type Complete<T> = T extends readonly (infer U)[]
  ? readonly Complete<U>[]
  : T extends object
    ? { readonly [K in keyof T]-?: Complete<T[K]> }
    : T;

const complete: Complete<ExperimentConfig> = {
  name: 'complete',
  seed: 3,
  plugins: [],
  data: {
    train: { type: 'mnist', split: 'train', skip: 1, take: 50, sha256: { 'train.idx': 'ab'.repeat(32) } },
    test: { type: 'mnist', split: 'test', skip: 0, take: 10, sha256: {} },
    validation: { fromTrain: 0.2, stratify: true },
    preprocess: [{ type: 'scale', divisor: 255 }],
    augment: [{ type: 'shift', maxPixels: 2, probability: 0.5 }],
  },
  model: { input: [784], layers: [{ type: 'dense', units: 10, weightInit: { type: 'he-normal' }, biasInit: { type: 'zeros' }, useBias: true }] },
  loss: { type: 'softmax-cross-entropy' },
  optimiser: { type: 'sgd', momentum: 0.5, nesterov: false },
  schedule: { type: 'fixed', learningRate: 0.1 },
  training: {
    epochs: 2,
    batchSize: 8,
    lastBatch: 'drop',
    shuffle: false,
    backend: 'js',
    threads: 1,
    parallelism: 'data',
    shards: 4,
    earlyStopping: { monitor: 'validation.loss', patience: 3, minDelta: 0.001 },
    restoreBest: true,
    clipNorm: 5,
    warmupEpochs: 0.5,
  },
};

/** Every enum value of the TS unions, checked exhaustive at compile time. */
const LAST_BATCH = ['keep', 'drop'] as const satisfies readonly TrainingConfig['lastBatch'][];
const BACKENDS = ['auto', 'js', 'wasm'] as const satisfies readonly TrainingConfig['backend'][];
const MONITORS = ['validation.loss', 'validation.accuracy'] as const satisfies readonly ValidationMonitor[];
const exhaustive: [
  Exclude<TrainingConfig['lastBatch'], (typeof LAST_BATCH)[number]>,
  Exclude<TrainingConfig['backend'], (typeof BACKENDS)[number]>,
  Exclude<ValidationMonitor, (typeof MONITORS)[number]>,
] extends [never, never, never]
  ? true
  : false = true;

/** The object sections of the envelope (plugin slots excluded), as dotted paths to their keys. */
function sectionKeys(schema: JsonSchema, path = ''): Record<string, string[]> {
  const properties = schema['properties'] as Record<string, JsonSchema> | undefined;
  if (properties === undefined) return {};
  const result: Record<string, string[]> = { [path || '(root)']: Object.keys(properties).sort() };
  for (const [key, child] of Object.entries(properties)) {
    if (child['properties'] !== undefined) Object.assign(result, sectionKeys(child, path ? `${path}.${key}` : key));
  }
  return result;
}

/** The same for a value: objects that are sections (not plugin options, which carry `type`). */
function valueKeys(value: Record<string, unknown>, path = ''): Record<string, string[]> {
  const result: Record<string, string[]> = { [path || '(root)']: Object.keys(value).sort() };
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'object' && child !== null && !Array.isArray(child) && !('type' in child)) {
      Object.assign(result, valueKeys(child as Record<string, unknown>, path ? `${path}.${key}` : key));
    }
  }
  return result;
}

describe('the envelope schema and ExperimentConfig', () => {
  it('accept a config that sets every field, and give it back unchanged', () => {
    const result = fakeRegistry().validateExperiment(complete);
    expect(result.issues).toEqual([]);
    expect(result.value).toEqual(complete);
  });

  it('have the same sections with the same keys', () => {
    // A plugin slot is a permissive object schema here: it has no `properties`, so it is not a section.
    const schema = envelopeSchema(() => ({ type: 'object' }));
    expect(sectionKeys(schema)).toEqual(valueKeys(complete));
  });

  it('allow the same enum values', () => {
    expect(exhaustive).toBe(true);
    const training = (envelopeSchema(() => ({})).properties as Record<string, JsonSchema>)['training']!;
    const properties = training['properties'] as Record<string, JsonSchema>;
    expect(properties['lastBatch']!['enum']).toEqual(LAST_BATCH);
    expect(properties['backend']!['enum']).toEqual(BACKENDS);
    const earlyStopping = properties['earlyStopping']!['properties'] as Record<string, JsonSchema>;
    expect(earlyStopping['monitor']!['enum']).toEqual(MONITORS);
  });
});
