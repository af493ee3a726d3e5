import { ShapeError, UnknownPluginError, defineInitialiser, defineLayer, defineLoss, defineOptimiser, defineSchedule } from '@scratchnet/spec';
import type {
  JsonSchema,
  Plugin,
  PluginKind,
  PluginOptions,
  PluginRegistry,
  PluginsByKind,
  ValidationResult,
} from '@scratchnet/spec';
import { Tensor, createJsBackend, formatShape } from '@scratchnet/tensor';

/**
 * Test-only helpers (excluded from the build by the `test-*` name): a minimal registry and
 * tiny plugins, so this package's unit tests do not depend on the other packages' details.
 * The integration tests use the real registry and plugins.
 */
export const backend = createJsBackend();

/** Fills top-level `default`s of a plugin's options schema, the one thing the real registry does that plugins rely on. */
function withDefaults(schema: JsonSchema, options: PluginOptions): PluginOptions {
  const properties = (schema['properties'] ?? {}) as Record<string, { default?: unknown }>;
  const filled: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) if (property.default !== undefined) filled[key] = property.default;
  return { ...filled, ...options } as PluginOptions;
}

/** A registry with lookups and default filling but no schema validation. */
export function createFakeRegistry(plugins: readonly Plugin[]): PluginRegistry {
  const byKey = new Map<string, Plugin>(plugins.map((p) => [`${p.kind}:${p.type}`, p]));
  const get = <K extends PluginKind>(kind: K, type: string): PluginsByKind[K] => {
    const plugin = byKey.get(`${kind}:${type}`);
    if (plugin === undefined) {
      throw new UnknownPluginError(kind, type, plugins.filter((p) => p.kind === kind).map((p) => p.type));
    }
    return plugin as PluginsByKind[K];
  };
  const unsupported = (): never => {
    throw new Error('not supported by the fake registry');
  };
  return {
    register: unsupported,
    registerPackage: unsupported,
    get,
    has: (kind, type) => byKey.has(`${kind}:${type}`),
    list: <K extends PluginKind>(kind: K) => plugins.filter((p) => p.kind === kind) as PluginsByKind[K][],
    sourceOf: () => 'test',
    freeze: () => undefined,
    validateOptions(kind, ref, path = []): ValidationResult<PluginOptions> {
      const options = (typeof ref === 'string' ? { type: ref } : ref) as PluginOptions;
      if (!byKey.has(`${kind}:${options.type}`)) {
        return { issues: [{ path, message: `unknown ${kind} type "${options.type}"` }] };
      }
      return { value: withDefaults(get(kind, options.type).optionsSchema, options), issues: [] };
    },
    validateExperiment: unsupported,
    experimentSchema: unsupported,
  };
}

const objectSchema = (properties: Record<string, unknown> = {}): JsonSchema => ({
  type: 'object',
  properties,
  additionalProperties: false,
});

/** Normal(0, std) weights; std defaults to 1/sqrt(fanIn). */
export const testNormal = defineInitialiser<{ std?: number }>({
  kind: 'initialiser',
  type: 't-normal',
  specVersion: 1,
  description: 'normal weights',
  optionsSchema: objectSchema({ std: { type: 'number' } }),
  create: ({ std }) => ({
    fill(target, fan, rng) {
      const s = std ?? 1 / Math.sqrt(fan.fanIn);
      for (let i = 0; i < target.size; i++) target.data[i] = rng.normal(0, s);
    },
  }),
});

/** y = x·W + b with W [in, units]; decay on W only. */
export const testDense = defineLayer<{ units: number; init?: string }>({
  kind: 'layer',
  type: 't-dense',
  specVersion: 1,
  description: 'dense',
  optionsSchema: objectSchema({ units: { type: 'integer' }, init: { type: 'string', default: 't-normal' } }),
  outputShape(input, { units }) {
    if (input.length !== 1) throw new ShapeError(undefined, 't-dense', '[features]', formatShape(input), 'Flatten first.');
    return [units];
  },
  create({ units, init }, context) {
    const inputs = context.inputShape[0]!;
    const weight = context.initialise(init ?? 't-normal', [inputs, units], { fanIn: inputs, fanOut: units });
    const bias = Tensor.zeros([units], context.dtype);
    const b = context.backend;
    return {
      params: { weight, bias },
      decayed: ['weight'],
      forward(x) {
        const y = b.addRowVector(b.matmul(x, weight), bias);
        return {
          output: y,
          backward(dy, grads) {
            b.matmul(x, dy, { transposeA: true }, grads['weight']);
            b.sumRows(dy, grads['bias']);
            return b.matmul(dy, weight, { transposeB: true });
          },
        };
      },
    };
  },
});

export const testRelu = defineLayer<Record<string, never>>({
  kind: 'layer',
  type: 't-relu',
  specVersion: 1,
  description: 'relu',
  optionsSchema: objectSchema(),
  outputShape: (input) => input,
  create: (_options, { backend: b }) => ({
    params: {},
    forward: (x) => ({ output: b.leakyRelu(x, 0), backward: (dy) => b.leakyReluBackward(x, 0, dy) }),
  }),
});

/** Multiplies by fresh U[0.5, 1.5) noise in train mode (dropout-like use of the model rng). */
export const testNoisy = defineLayer<Record<string, never>>({
  kind: 'layer',
  type: 't-noisy',
  specVersion: 1,
  description: 'noise',
  optionsSchema: objectSchema(),
  outputShape: (input) => input,
  create: (_options, { backend: b, rng }) => ({
    params: {},
    forward(x, mode) {
      if (mode === 'eval') return { output: x, backward: (dy) => dy };
      const noise = Tensor.zeros(x.shape, x.dtype);
      for (let i = 0; i < noise.size; i++) noise.data[i] = rng.uniform(0.5, 1.5);
      return { output: b.mul(x, noise), backward: (dy) => b.mul(dy, noise) };
    },
  }),
});

/** Mean softmax cross-entropy over integer labels. */
export const testCrossEntropy = defineLoss<Record<string, never>>({
  kind: 'loss',
  type: 't-cross-entropy',
  specVersion: 1,
  description: 'softmax cross-entropy',
  optionsSchema: objectSchema(),
  create: (_options, { backend: b }) => ({
    forward(logits, labels) {
      const p = b.softmaxRows(logits);
      const n = logits.rows;
      const c = logits.columns;
      let loss = 0;
      for (let i = 0; i < n; i++) loss -= Math.log(Math.max(p.data[i * c + labels[i]!]!, 1e-300));
      return {
        loss: loss / n,
        backward() {
          const d = p.clone();
          for (let i = 0; i < n; i++) d.data[i * c + labels[i]!]! -= 1;
          return b.scale(d, 1 / n, d);
        },
      };
    },
    probabilities: (logits) => b.softmaxRows(logits),
  }),
});

/** v = mu v + g + wd w;  w -= lr v.  Buffers `<param>.v`. */
export const testMomentum = defineOptimiser<{ momentum: number; weightDecay: number }>({
  kind: 'optimiser',
  type: 't-momentum',
  specVersion: 1,
  description: 'momentum sgd',
  optionsSchema: objectSchema({ momentum: { type: 'number', default: 0.9 }, weightDecay: { type: 'number', default: 0 } }),
  create({ momentum, weightDecay }, { params }) {
    const velocity = params.map((p) => new Float32Array(p.value.size));
    let steps = 0;
    return {
      step(lr) {
        steps++;
        params.forEach((p, k) => {
          const w = p.value.data;
          const g = p.grad.data;
          const v = velocity[k]!;
          const wd = p.decay ? weightDecay : 0;
          for (let i = 0; i < w.length; i++) {
            v[i] = momentum * v[i]! + g[i]! + wd * w[i]!;
            w[i] = w[i]! - lr * v[i]!;
          }
        });
      },
      state: () => ({ step: steps, buffers: Object.fromEntries(params.map((p, k) => [`${p.name}.v`, velocity[k]!.slice()])) }),
      loadState(state) {
        steps = state.step;
        params.forEach((p, k) => velocity[k]!.set(state.buffers[`${p.name}.v`]!));
      },
    };
  },
});

export const testFixed = defineSchedule<{ learningRate: number }>({
  kind: 'schedule',
  type: 't-fixed',
  specVersion: 1,
  description: 'fixed rate',
  optionsSchema: objectSchema({ learningRate: { type: 'number', default: 0.1 } }),
  create: ({ learningRate }) => ({ learningRate: () => learningRate }),
});

/** Needs exactly `[size]` input; the shape-error fixture. */
export const testExpect = defineLayer<{ size: number }>({
  kind: 'layer',
  type: 't-expect',
  specVersion: 1,
  description: 'expects a size',
  optionsSchema: objectSchema({ size: { type: 'integer' } }),
  outputShape(input, { size }) {
    if (input.length !== 1 || input[0] !== size) {
      throw new ShapeError(undefined, 't-expect', `[${size}]`, formatShape(input), `Give it ${size} features.`);
    }
    return input;
  },
  create: () => ({ params: {}, forward: (x) => ({ output: x, backward: (dy) => dy }) }),
});

export const testPlugins: readonly Plugin[] = [
  testNormal,
  testDense,
  testRelu,
  testNoisy,
  testCrossEntropy,
  testMomentum,
  testFixed,
  testExpect,
] as unknown as readonly Plugin[];

export const createTestRegistry = (): PluginRegistry => createFakeRegistry(testPlugins);

/** `count` samples of `features` values in two noisy clusters per class, deterministic from `seed`. */
export function syntheticData(count: number, features: number, classes: number, seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
  const images = new Float32Array(count * features);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    for (let f = 0; f < features; f++) images[i * features + f] = (f % classes === label ? 1 : 0) + (next() - 0.5) * 0.8;
  }
  return { images, labels, sampleShape: [features], count, classNames: [...Array(classes).keys()].map(String), source: 'synthetic' };
}

/**
 * The same safetensors file as written before files carried a digest: the header without
 * `__metadata__["scratchnet.sha256"]` (and without `__metadata__` if nothing else is in it).
 */
export function withoutDigest(bytes: Uint8Array): Uint8Array {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const metadata = { ...(header['__metadata__'] as Record<string, string>) };
  delete metadata['scratchnet.sha256'];
  if (Object.keys(metadata).length === 0) delete header['__metadata__'];
  else header['__metadata__'] = metadata;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const data = bytes.subarray(8 + headerLength);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
