import type { ConfigPath, OnnxAttribute, OnnxNode, OnnxTensor } from '@scratchnet/spec';
import { AttributeType, TensorDataType, type AttributeProto, type NodeProto, type TensorProto } from '../onnx-types.js';
import { OnnxExportError } from './export-error.js';

/** Where nodes come from, for messages: model.json path and plugin id. */
export interface NodeSource {
  readonly path: ConfigPath;
  readonly type: string;
  /** A third-party `toOnnx`: its mistakes are reported as the plugin's bug. */
  readonly plugin: boolean;
}

/**
 * The graph under construction: nodes in order, initialisers, and every value name given out,
 * so each name is defined once and each node reads only values that exist before it (ONNX
 * graphs are topologically sorted single-assignment). Layer mappings, built-in or a plugin's
 * `toOnnx`, add nodes only through `addNodes`, which checks exactly that.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** Values that exist: the graph input, initialisers, outputs of nodes added so far. */
  private readonly defined = new Set<string>();
  /** Names given out by uniqueName, defined or not yet. */
  private readonly taken = new Set<string>();
  private readonly nodeNames = new Set<string>();

  constructor(input: string) {
    this.defined.add(input);
    this.taken.add(input);
  }

  /** `name`, or `name_1`, `name_2`, ... : the first no value has. */
  uniqueName(name: string): string {
    let candidate = name;
    for (let k = 1; this.taken.has(candidate); k++) candidate = `${name}_${k}`;
    this.taken.add(candidate);
    return candidate;
  }

  /** Graph outputs: only the node group given one as its `output` may write it. */
  private readonly reserved = new Set<string>();

  /** Reserves `name` exactly, for a graph output; false when it is already taken. */
  reserve(name: string): boolean {
    if (this.taken.has(name)) return false;
    this.taken.add(name);
    this.reserved.add(name);
    return true;
  }

  isDefined(name: string): boolean {
    return this.defined.has(name);
  }

  /** A constant under a unique name derived from `name`; returns that name. */
  addInitializer(name: string, tensor: OnnxTensor, source: NodeSource): string {
    const unique = this.uniqueName(name);
    this.initializers.push(tensorProto(unique, tensor, source));
    this.defined.add(unique);
    return unique;
  }

  /**
   * Appends `nodes` after checking each: an op type, inputs that exist ('' for a skipped
   * optional one), outputs that are new names, attributes of one known kind. When `output` is
   * given and there are nodes, one of them must write it.
   */
  addNodes(nodes: readonly OnnxNode[], source: NodeSource, output?: string): void {
    const fail = (message: string): OnnxExportError =>
      new OnnxExportError({
        path: source.path,
        plugin: source.type,
        message: `${message}${source.plugin ? ` This is a bug in the plugin's toOnnx.` : ''}`,
      });
    if (!Array.isArray(nodes)) throw fail(`toOnnx must return a list of nodes, found ${describe(nodes)}.`);
    nodes.forEach((node, k) => {
      const where = `node ${k}${typeof node?.opType === 'string' ? ` (${node.opType})` : ''}`;
      if (typeof node !== 'object' || node === null || typeof node.opType !== 'string' || node.opType === '') {
        throw fail(`${where}: expected { opType, inputs, outputs }, found ${describe(node)}.`);
      }
      if (!Array.isArray(node.inputs) || !Array.isArray(node.outputs) || node.outputs.length === 0) {
        throw fail(`${where}: expected lists of input and output value names (at least one output), found inputs ${describe(node.inputs)}, outputs ${describe(node.outputs)}.`);
      }
      for (const input of node.inputs) {
        if (typeof input !== 'string' || (input !== '' && !this.defined.has(input))) {
          throw fail(
            `${where}: input ${describe(input)} is not a value of the graph at this point; a node may read the layer's input, ` +
              'initialisers from addInitializer and outputs of the nodes before it.',
          );
        }
      }
      for (const name of node.outputs) {
        const given = typeof name === 'string' && this.taken.has(name) && !this.defined.has(name);
        if (!given || (this.reserved.has(name) && name !== output)) {
          throw fail(`${where}: output ${describe(name)} must be a new value name from uniqueName (or the layer's output), each written once.`);
        }
      }
      const attributes: Readonly<Record<string, OnnxAttribute>> = node.attributes ?? {};
      const attribute = Object.entries(attributes).map(([name, value]) => attributeProto(name, value, (m) => fail(`${where}: ${m}`)));
      for (const name of node.outputs) this.defined.add(name);
      if (new Set(node.outputs).size !== node.outputs.length) throw fail(`${where}: an output name appears twice.`);
      this.nodes.push({ input: [...node.inputs], output: [...node.outputs], name: this.nodeName(source, node.opType), opType: node.opType, attribute });
    });
    if (output !== undefined && nodes.length > 0 && !this.defined.has(output)) {
      throw fail(`no node writes the layer's output ${JSON.stringify(output)}; the last node should (or return no nodes for a layer that is the identity at inference).`);
    }
  }

  /** `layers.3/Gemm`, unique among node names. */
  private nodeName(source: NodeSource, opType: string): string {
    const base = `${source.path.join('.')}/${opType}`;
    let name = base;
    for (let k = 1; this.nodeNames.has(name); k++) name = `${base}_${k}`;
    this.nodeNames.add(name);
    return name;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const isIntegers = (values: unknown): values is number[] => Array.isArray(values) && values.every((v) => Number.isSafeInteger(v));
const isNumbers = (values: unknown): values is number[] => Array.isArray(values) && values.every((v) => typeof v === 'number');

/** An OnnxAttribute as its AttributeProto; `fail` for anything but exactly one well-typed kind. */
export function attributeProto(name: string, value: OnnxAttribute, fail: (message: string) => Error): AttributeProto {
  const empty = { name, floats: [], ints: [], strings: [] };
  const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  const v = value as Record<string, unknown>;
  if (keys.length === 1) {
    if ('int' in v && Number.isSafeInteger(v['int'])) return { ...empty, type: AttributeType.INT, i: v['int'] as number };
    if ('float' in v && typeof v['float'] === 'number') return { ...empty, type: AttributeType.FLOAT, f: v['float'] };
    if ('ints' in v && isIntegers(v['ints'])) return { ...empty, type: AttributeType.INTS, ints: [...v['ints']] };
    if ('floats' in v && isNumbers(v['floats'])) return { ...empty, type: AttributeType.FLOATS, floats: [...v['floats']] };
    if ('string' in v && typeof v['string'] === 'string') return { ...empty, type: AttributeType.STRING, s: v['string'] };
    if ('strings' in v && Array.isArray(v['strings']) && v['strings'].every((s) => typeof s === 'string')) {
      return { ...empty, type: AttributeType.STRINGS, strings: [...(v['strings'] as string[])] };
    }
  }
  throw fail(
    `attribute ${name}: expected one of { int }, { float }, { ints }, { floats }, { string }, { strings } with a value of that kind, found ${describe(value)}.`,
  );
}

/** A float32 tensor as little-endian raw_data (as PyTorch writes weights); an int64 one as int64_data. */
export function tensorProto(name: string, tensor: OnnxTensor, source: NodeSource): TensorProto {
  const base = { name, dims: [...tensor.shape], floatData: [], int32Data: [], int64Data: [], doubleData: [], externalData: [] };
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  const bad = (message: string): OnnxExportError =>
    new OnnxExportError({ path: source.path, plugin: source.type, message: `initialiser ${name}: ${message}${source.plugin ? ' This is a bug in the plugin\'s toOnnx.' : ''}` });
  if (!tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`expected a shape of integers >= 0, found ${describe(tensor.shape)}.`);
  if (tensor.data.length !== size) throw bad(`the shape [${tensor.shape.join(', ')}] holds ${size} values, but the data has ${tensor.data.length}.`);
  if (tensor.data instanceof Float32Array) {
    const raw = new Uint8Array(size * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < size; i++) view.setFloat32(4 * i, tensor.data[i]!, true);
    return { ...base, dataType: TensorDataType.FLOAT, rawData: raw };
  }
  if (tensor.data instanceof BigInt64Array) {
    const values = Array.from(tensor.data, Number);
    if (!values.every(Number.isSafeInteger)) throw bad('int64 values must be within ±(2^53 − 1).');
    return { ...base, dataType: TensorDataType.INT64, int64Data: values };
  }
  throw bad(`expected the data to be a Float32Array or a BigInt64Array, found ${describe(tensor.data)}.`);
}
