import type { ConfigIssue, ConfigPath, ExperimentConfig, PluginKind, ValidationResult } from '@scratchnet/spec';
import type { ValidateFunction } from './ajv.js';
import { sortByAppearance } from './issue-order.js';
import { translateErrors } from './messages.js';
import { clonePlain, formatValue, isPlainObject, type PlainObject } from './plain-data.js';
import { validateRef, type PluginLookup } from './validate-options.js';

interface Slot {
  readonly kind: PluginKind;
  readonly path: readonly (string | number)[];
  readonly container: PlainObject | unknown[];
  readonly key: string | number;
}

/** Every plugin slot present in an experiment whose enclosing sections have the right shape. */
function findSlots(config: PlainObject): Slot[] {
  const slots: Slot[] = [];
  const single = (container: PlainObject, key: string, kind: PluginKind, path: ConfigPath): void => {
    if (container[key] !== undefined) slots.push({ kind, path: [...path, key], container, key });
  };
  const list = (container: PlainObject, key: string, kind: PluginKind, path: ConfigPath): void => {
    const items = container[key];
    if (Array.isArray(items)) items.forEach((_, i) => slots.push({ kind, path: [...path, key, i], container: items, key: i }));
  };
  const { data, model } = config;
  if (isPlainObject(data)) {
    single(data, 'train', 'dataset', ['data']);
    single(data, 'test', 'dataset', ['data']);
    list(data, 'preprocess', 'preprocess', ['data']);
    list(data, 'augment', 'augmentation', ['data']);
  }
  if (isPlainObject(model)) list(model, 'layers', 'layer', ['model']);
  for (const [key, kind] of [['loss', 'loss'], ['optimiser', 'optimiser'], ['schedule', 'schedule']] as const) {
    single(config, key, kind, []);
  }
  return slots;
}

/**
 * Validates a whole experiment: the envelope (sections, training settings, unknown keys) and
 * then every plugin slot, collecting all issues in the order a reader meets them. The value,
 * with defaults filled and plugin shorthand expanded, is returned only when there are none.
 */
export function validateExperiment(
  validateEnvelope: ValidateFunction,
  lookup: PluginLookup,
  raw: unknown,
): ValidationResult<ExperimentConfig> {
  if (!isPlainObject(raw)) {
    const message =
      'an experiment must be an object with the sections name, data, model, loss and optimiser ' +
      `(and optionally seed, plugins, schedule, training) (found ${formatValue(raw)})`;
    return { issues: [{ path: [], message }] };
  }
  const config = clonePlain(raw);
  validateEnvelope(config);
  const issues: ConfigIssue[] = translateErrors(validateEnvelope.errors ?? [], config, {
    basePath: [],
    top: { noun: 'key', listIntro: 'Top-level keys', none: 'no keys are allowed' },
  });
  for (const slot of findSlots(config)) {
    const current = Array.isArray(slot.container) ? slot.container[slot.key as number] : slot.container[slot.key as string];
    const result = validateRef(lookup, slot.kind, current, slot.path);
    issues.push(...result.issues);
    if (result.value === undefined) continue;
    if (Array.isArray(slot.container)) slot.container[slot.key as number] = result.value;
    else slot.container[slot.key as string] = result.value;
  }
  if (issues.length > 0) return { issues: sortByAppearance(issues, raw) };
  return { value: config as unknown as ExperimentConfig, issues: [] };
}
