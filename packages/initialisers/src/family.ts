import { SPEC_VERSION } from '@scratchnet/spec';
import type { Fan, Initialiser, InitialiserPlugin, JsonSchema } from '@scratchnet/spec';
import type { Rng, Tensor } from '@scratchnet/tensor';

/**
 * The two families almost every initialiser belongs to: a normal distribution whose std (and
 * mean) follow from the fan and the options, and a uniform distribution on [low, high). Each
 * built-in initialiser is one call to `normalInitialiser` or `uniformInitialiser`.
 *
 * Values are drawn in index order from the Rng passed to `fill`, so the same seed gives the
 * same tensor bit for bit; a float64 target receives the unrounded draws.
 */

/** target[i] ~ N(mean, std^2), drawn in index order. */
export function fillNormal(target: Tensor, mean: number, std: number, rng: Rng): void {
  const data = target.data;
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(mean, std);
}

/** target[i] ~ U[low, high), drawn in index order. */
export function fillUniform(target: Tensor, low: number, high: number, rng: Rng): void {
  const data = target.data;
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(low, high);
}

interface FamilySpec {
  readonly type: string;
  readonly description: string;
  /** Option properties with their defaults (none for fan-only initialisers). */
  readonly properties?: { readonly [name: string]: JsonSchema };
}

/** The options schema shared by every built-in initialiser: an object with no unknown keys. */
export function initialiserSchema(properties: { readonly [name: string]: JsonSchema } = {}): JsonSchema {
  return { type: 'object', additionalProperties: false, properties };
}

/** Schema of a positive multiplier such as xavier's gain. */
export const gainProperty: JsonSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  default: 1,
  description: 'Multiplier on the scale (e.g. 5/3 for tanh, sqrt(2) for relu).',
};

// A fan of 0 (or a negative or NaN one) would turn the scale into Infinity or NaN and silently
// poison every weight, so the families refuse it with a message naming the initialiser.
function checkScale(type: string, what: string, value: number, fan: Fan): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `initialiser ${type}: ${what} must be a finite number >= 0, got ${value} ` +
        `(fanIn ${fan.fanIn}, fanOut ${fan.fanOut}). Fan-scaled initialisers need fanIn (and fanOut) >= 1; ` +
        'use zeros, constant, normal or uniform for this parameter instead.',
    );
  }
  return value;
}

/** The plugin shell both families share; `makeFill` turns validated options into the fill. */
function familyPlugin<O>(spec: FamilySpec, makeFill: (options: O) => Initialiser['fill']): InitialiserPlugin<O> {
  return {
    kind: 'initialiser',
    type: spec.type,
    specVersion: SPEC_VERSION,
    description: spec.description,
    optionsSchema: initialiserSchema(spec.properties),
    create: (options) => ({ fill: makeFill(options) }),
  };
}

/** An initialiser drawing from N(mean(options), std(fan, options)^2). */
export function normalInitialiser<O>(
  spec: FamilySpec & {
    std(fan: Fan, options: O): number;
    mean?(options: O): number;
  },
): InitialiserPlugin<O> {
  return familyPlugin<O>(spec, (options) => {
    const mean = spec.mean?.(options) ?? 0;
    return (target, fan, rng) => fillNormal(target, mean, checkScale(spec.type, 'std', spec.std(fan, options), fan), rng);
  });
}

/** An initialiser drawing from U[-limit, +limit) with limit from the fan and options. */
export function uniformInitialiser<O>(
  spec: FamilySpec & {
    limit(fan: Fan, options: O): number;
  },
): InitialiserPlugin<O> {
  return familyPlugin<O>(spec, (options) => (target, fan, rng) => {
    const limit = checkScale(spec.type, 'limit', spec.limit(fan, options), fan);
    fillUniform(target, -limit, limit, rng);
  });
}
