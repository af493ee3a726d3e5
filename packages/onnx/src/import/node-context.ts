import { AttributeType, type AttributeProto, type NodeProto, type TensorProto } from '../onnx-types.js';
import { OnnxImportError } from './onnx-import-error.js';

/** A tensor's values as scratchnet stores them: float32, row-major, with its shape. */
export interface ImportedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * One node being mapped, with what it needs to read its attributes and constant inputs and to
 * fail with a message that names it: `node 4 "/conv2/Conv" (Conv)`.
 */
export interface NodeContext {
  readonly file: string;
  readonly index: number;
  readonly node: NodeProto;
  /** The ONNX opset version of the model's default domain (attribute defaults depend on it). */
  readonly opset: number;
  /** `node 4 "/conv2/Conv" (Conv)` */
  readonly where: string;
  fail(expected: string, found: string, hint?: string): OnnxImportError;
  /** The attribute of that name, checked to be of `type` (an AttributeType); undefined when absent. */
  attribute(name: string, type: number): AttributeProto | undefined;
  int(name: string, defaultValue: number): number;
  float(name: string, defaultValue: number): number;
  ints(name: string): readonly number[] | undefined;
  string(name: string): string | undefined;
  /** Refuses any attribute outside `known` (a newer or exotic form the mapping does not understand). */
  onlyAttributes(known: readonly string[]): void;
  /** Input `position` as a constant (an initialiser or a Constant node's value); undefined when omitted (''). */
  constant(position: number): TensorProto | undefined;
}

const TYPE_NAMES: Record<number, string> = {
  [AttributeType.FLOAT]: 'FLOAT',
  [AttributeType.INT]: 'INT',
  [AttributeType.STRING]: 'STRING',
  [AttributeType.TENSOR]: 'TENSOR',
  [AttributeType.FLOATS]: 'FLOATS',
  [AttributeType.INTS]: 'INTS',
  [AttributeType.STRINGS]: 'STRINGS',
};

export function describeNode(index: number, node: NodeProto): string {
  return `node ${index}${node.name ? ` ${JSON.stringify(node.name)}` : ''} (${node.opType})`;
}

export function nodeContext(file: string, index: number, node: NodeProto, opset: number, constants: ReadonlyMap<string, TensorProto>): NodeContext {
  const where = describeNode(index, node);
  const fail = (expected: string, found: string, hint?: string): OnnxImportError => new OnnxImportError(file, where, expected, found, hint);
  const attribute = (name: string, type: number): AttributeProto | undefined => {
    const found = node.attribute.filter((a) => a.name === name);
    if (found.length > 1) throw fail(`one attribute ${name}`, `${found.length}`);
    const value = found[0];
    if (value !== undefined && value.type !== type) {
      throw fail(`attribute ${name} of type ${TYPE_NAMES[type] ?? type}`, `type ${TYPE_NAMES[value.type] ?? value.type}`);
    }
    return value;
  };
  return {
    file,
    index,
    node,
    opset,
    where,
    fail,
    attribute,
    int: (name, defaultValue) => attribute(name, AttributeType.INT)?.i ?? defaultValue,
    float: (name, defaultValue) => attribute(name, AttributeType.FLOAT)?.f ?? defaultValue,
    ints: (name) => attribute(name, AttributeType.INTS)?.ints,
    string: (name) => attribute(name, AttributeType.STRING)?.s,
    onlyAttributes(known) {
      const other = node.attribute.find((a) => !known.includes(a.name));
      if (other !== undefined) {
        throw fail(
          known.length === 0 ? 'no attributes' : `only the attributes ${known.join(', ')}`,
          `attribute ${JSON.stringify(other.name)}`,
          'The importer does not know what it means for this operator, so it refuses rather than guess.',
        );
      }
    },
    constant(position) {
      const name = node.input[position];
      if (name === undefined || name === '') return undefined;
      const value = constants.get(name);
      if (value === undefined) {
        throw fail(
          `input ${position} (${JSON.stringify(name)}) to be a constant (an initializer or a Constant node)`,
          'a value computed by the graph',
          'Export with do_constant_folding=True so weights and shapes are stored as initializers.',
        );
      }
      return value;
    },
  };
}
