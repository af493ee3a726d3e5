import { DEFAULT_DECODE_LIMITS, type DecodeOptions } from './decode-options.js';
import { ATTRIBUTE, DIMENSION, GRAPH, MODEL, NODE, OPERATOR_SET_ID, SHAPE, STRING_STRING_ENTRY, TENSOR, TYPE, TYPE_TENSOR, VALUE_INFO } from './onnx-fields.js';
import { OnnxFormatError } from './onnx-format-error.js';
import type {
  AttributeProto,
  GraphProto,
  ModelProto,
  NodeProto,
  OperatorSetIdProto,
  StringStringEntryProto,
  TensorProto,
  TensorShapeDimension,
  TensorShapeProto,
  TensorTypeProto,
  TypeProto,
  ValueInfoProto,
} from './onnx-types.js';
import { ProtobufReader } from './protobuf-reader.js';

/** A message under construction: every field optional and writable. */
type Draft<T> = { -readonly [K in keyof T]?: T[K] };

/**
 * Reads an .onnx file (a serialised ModelProto). Fields scratchnet does not use are skipped, so
 * files from newer ONNX versions read; anything malformed, above a limit, or lacking a field that
 * onnx.proto requires throws an OnnxFormatError (a ModelFormatError) naming the byte offset and
 * the field path. Nothing the file claims is allocated before the bytes for it are known to be
 * there.
 */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): ModelProto {
  const file = options.file ?? 'ONNX model';
  if (!(bytes instanceof Uint8Array)) {
    const found = bytes === null ? 'null' : typeof bytes === 'object' ? (Object.getPrototypeOf(bytes)?.constructor?.name ?? 'an object') : typeof bytes;
    throw new TypeError(`decodeModel(${file}): expected the file's bytes as a Uint8Array (a Node Buffer is one), found ${found}.`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_DECODE_LIMITS.maxBytes;
  if (bytes.length > maxBytes) {
    throw new OnnxFormatError(file, 0, '(model)', `at most ${maxBytes} bytes (the maxBytes limit)`, `${bytes.length} bytes`, 'Raise maxBytes if the model really is this large.');
  }
  if (bytes.length === 0) throw new OnnxFormatError(file, 0, '(model)', 'an ONNX model (a serialised ModelProto)', 'an empty file');
  const reader = new ProtobufReader(bytes, file, {
    maxDepth: options.maxDepth ?? DEFAULT_DECODE_LIMITS.maxDepth,
    maxElements: options.maxTensorElements ?? DEFAULT_DECODE_LIMITS.maxTensorElements,
  });
  return readModel(reader);
}

// One reader per message. Exported for the field-by-field tests; the package exports only decodeModel.

export function readModel(r: ProtobufReader): ModelProto {
  const opsetImport: OperatorSetIdProto[] = [];
  const metadataProps: StringStringEntryProto[] = [];
  const model: Draft<ModelProto> = { opsetImport, metadataProps };
  while (r.next()) {
    switch (r.field) {
      case MODEL.ir_version: model.irVersion = r.int64('ir_version'); break;
      case MODEL.producer_name: model.producerName = r.string('producer_name'); break;
      case MODEL.producer_version: model.producerVersion = r.string('producer_version'); break;
      case MODEL.domain: model.domain = r.string('domain'); break;
      case MODEL.model_version: model.modelVersion = r.int64('model_version'); break;
      case MODEL.doc_string: model.docString = r.string('doc_string'); break;
      case MODEL.graph: model.graph = r.message('graph', () => readGraph(r)); break;
      case MODEL.opset_import: opsetImport.push(r.message(`opset_import[${opsetImport.length}]`, () => readOperatorSetId(r))); break;
      case MODEL.metadata_props: metadataProps.push(r.message(`metadata_props[${metadataProps.length}]`, () => readEntry(r))); break;
      default: r.skip();
    }
  }
  if (model.irVersion === undefined) r.missing('ir_version', MODEL.ir_version, 'ModelProto');
  if (opsetImport.length === 0) r.missing('opset_import', MODEL.opset_import, 'ModelProto');
  if (model.graph === undefined) r.missing('graph', MODEL.graph, 'ModelProto');
  return model as ModelProto;
}

export function readGraph(r: ProtobufReader): GraphProto {
  const node: NodeProto[] = [];
  const initializer: TensorProto[] = [];
  const input: ValueInfoProto[] = [];
  const output: ValueInfoProto[] = [];
  const valueInfo: ValueInfoProto[] = [];
  const graph: Draft<GraphProto> = { node, initializer, input, output, valueInfo };
  while (r.next()) {
    switch (r.field) {
      case GRAPH.node: node.push(r.message(`node[${node.length}]`, () => readNode(r))); break;
      case GRAPH.name: graph.name = r.string('name'); break;
      case GRAPH.initializer: initializer.push(r.message(`initializer[${initializer.length}]`, () => readTensor(r))); break;
      case GRAPH.doc_string: graph.docString = r.string('doc_string'); break;
      case GRAPH.input: input.push(r.message(`input[${input.length}]`, () => readValueInfo(r))); break;
      case GRAPH.output: output.push(r.message(`output[${output.length}]`, () => readValueInfo(r))); break;
      case GRAPH.value_info: valueInfo.push(r.message(`value_info[${valueInfo.length}]`, () => readValueInfo(r))); break;
      default: r.skip();
    }
  }
  return graph as GraphProto;
}

export function readNode(r: ProtobufReader): NodeProto {
  const input: string[] = [];
  const output: string[] = [];
  const attribute: AttributeProto[] = [];
  const node: Draft<NodeProto> = { input, output, attribute };
  while (r.next()) {
    switch (r.field) {
      case NODE.input: input.push(r.string(`input[${input.length}]`)); break;
      case NODE.output: output.push(r.string(`output[${output.length}]`)); break;
      case NODE.name: node.name = r.string('name'); break;
      case NODE.op_type: node.opType = r.string('op_type'); break;
      case NODE.attribute: attribute.push(r.message(`attribute[${attribute.length}]`, () => readAttribute(r))); break;
      case NODE.doc_string: node.docString = r.string('doc_string'); break;
      case NODE.domain: node.domain = r.string('domain'); break;
      default: r.skip();
    }
  }
  if (node.opType === undefined) r.missing('op_type', NODE.op_type, 'NodeProto');
  return node as NodeProto;
}

export function readAttribute(r: ProtobufReader): AttributeProto {
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: string[] = [];
  const attribute: Draft<AttributeProto> = { floats, ints, strings };
  while (r.next()) {
    switch (r.field) {
      case ATTRIBUTE.name: attribute.name = r.string('name'); break;
      case ATTRIBUTE.f: attribute.f = r.float('f'); break;
      case ATTRIBUTE.i: attribute.i = r.int64('i'); break;
      case ATTRIBUTE.s: attribute.s = r.string('s'); break;
      case ATTRIBUTE.t: attribute.t = r.message('t', () => readTensor(r)); break;
      case ATTRIBUTE.floats: r.repeatedFloat('floats', floats); break;
      case ATTRIBUTE.ints: r.repeatedInt64('ints', ints); break;
      case ATTRIBUTE.strings: strings.push(r.string(`strings[${strings.length}]`)); break;
      case ATTRIBUTE.doc_string: attribute.docString = r.string('doc_string'); break;
      case ATTRIBUTE.type: attribute.type = r.int32('type'); break;
      default: r.skip();
    }
  }
  if (attribute.name === undefined) r.missing('name', ATTRIBUTE.name, 'AttributeProto');
  if (attribute.type === undefined) r.missing('type', ATTRIBUTE.type, 'AttributeProto');
  return attribute as AttributeProto;
}

export function readTensor(r: ProtobufReader): TensorProto {
  const dims: number[] = [];
  const floatData: number[] = [];
  const int32Data: number[] = [];
  const int64Data: number[] = [];
  const doubleData: number[] = [];
  const externalData: StringStringEntryProto[] = [];
  const tensor: Draft<TensorProto> = { dims, floatData, int32Data, int64Data, doubleData, externalData };
  let elements = 1;
  while (r.next()) {
    switch (r.field) {
      case TENSOR.dims: elements = readDims(r, dims, elements); break;
      case TENSOR.data_type: tensor.dataType = r.int32('data_type'); break;
      case TENSOR.float_data: r.repeatedFloat('float_data', floatData); break;
      case TENSOR.int32_data: readInt32s(r, int32Data); break;
      case TENSOR.int64_data: r.repeatedInt64('int64_data', int64Data); break;
      case TENSOR.name: tensor.name = r.string('name'); break;
      case TENSOR.raw_data: tensor.rawData = r.bytes('raw_data'); break;
      case TENSOR.double_data: r.repeatedDouble('double_data', doubleData); break;
      case TENSOR.doc_string: tensor.docString = r.string('doc_string'); break;
      case TENSOR.external_data: externalData.push(r.message(`external_data[${externalData.length}]`, () => readEntry(r))); break;
      case TENSOR.data_location: tensor.dataLocation = r.int32('data_location'); break;
      default: r.skip();
    }
  }
  if (tensor.dataType === undefined) r.missing('data_type', TENSOR.data_type, 'TensorProto');
  return tensor as TensorProto;
}

/**
 * Appends one dims field's values (one, or a packed run) and returns the product of all dims so
 * far. Each dim must be >= 0 and the product within maxTensorElements: it is checked as dims
 * arrive, so a tensor cannot claim more elements than code allocating from its dims will accept.
 */
function readDims(r: ProtobufReader, dims: number[], elementsBefore: number): number {
  const offset = r.position;
  const before = dims.length;
  r.repeatedInt64('dims', dims);
  let elements = elementsBefore;
  for (let index = before; index < dims.length; index++) {
    const dim = dims[index]!;
    if (dim < 0) r.fail(offset, `dims[${index}]`, 'a dimension >= 0', String(dim));
    elements *= dim;
    if (elements > r.limits.maxElements) {
      r.fail(offset, 'dims', `at most ${r.limits.maxElements} elements in one tensor (the maxTensorElements limit)`, `dims ${formatDims(dims)}`);
    }
  }
  return elements;
}

/** `[3, 4]`; long lists are cut short (a hostile file may carry millions of dims). */
function formatDims(dims: readonly number[]): string {
  return dims.length <= 8 ? `[${dims.join(', ')}]` : `[${dims.slice(0, 8).join(', ')}, ...] (${dims.length} dims)`;
}

function readInt32s(r: ProtobufReader, into: number[]): void {
  const offset = r.position;
  const before = into.length;
  r.repeatedInt64('int32_data', into);
  for (let index = before; index < into.length; index++) {
    const value = into[index]!;
    if (value < -(2 ** 31) || value >= 2 ** 31) r.fail(offset, `int32_data[${index}]`, 'an int32 value', String(value));
  }
}

export function readValueInfo(r: ProtobufReader): ValueInfoProto {
  const valueInfo: Draft<ValueInfoProto> = {};
  while (r.next()) {
    switch (r.field) {
      case VALUE_INFO.name: valueInfo.name = r.string('name'); break;
      case VALUE_INFO.type: valueInfo.type = r.message('type', () => readType(r)); break;
      case VALUE_INFO.doc_string: valueInfo.docString = r.string('doc_string'); break;
      default: r.skip();
    }
  }
  if (valueInfo.name === undefined) r.missing('name', VALUE_INFO.name, 'ValueInfoProto');
  return valueInfo as ValueInfoProto;
}

export function readType(r: ProtobufReader): TypeProto {
  const type: Draft<TypeProto> = {};
  while (r.next()) {
    switch (r.field) {
      case TYPE.tensor_type: type.tensorType = r.message('tensor_type', () => readTensorType(r)); break;
      case TYPE.denotation: type.denotation = r.string('denotation'); break;
      default: r.skip();
    }
  }
  return type;
}

export function readTensorType(r: ProtobufReader): TensorTypeProto {
  const tensorType: Draft<TensorTypeProto> = {};
  while (r.next()) {
    switch (r.field) {
      case TYPE_TENSOR.elem_type: tensorType.elemType = r.int32('elem_type'); break;
      case TYPE_TENSOR.shape: tensorType.shape = r.message('shape', () => readShape(r)); break;
      default: r.skip();
    }
  }
  if (tensorType.elemType === undefined) r.missing('elem_type', TYPE_TENSOR.elem_type, 'TypeProto.Tensor');
  return tensorType as TensorTypeProto;
}

export function readShape(r: ProtobufReader): TensorShapeProto {
  const dim: TensorShapeDimension[] = [];
  while (r.next()) {
    if (r.field === SHAPE.dim) dim.push(r.message(`dim[${dim.length}]`, () => readDimension(r)));
    else r.skip();
  }
  return { dim };
}

export function readDimension(r: ProtobufReader): TensorShapeDimension {
  const dimension: Draft<TensorShapeDimension> = {};
  while (r.next()) {
    switch (r.field) {
      // A oneof: the value that comes last wins, as in protobuf.
      case DIMENSION.dim_value:
        dimension.dimValue = r.int64('dim_value');
        delete dimension.dimParam;
        break;
      case DIMENSION.dim_param:
        dimension.dimParam = r.string('dim_param');
        delete dimension.dimValue;
        break;
      case DIMENSION.denotation: dimension.denotation = r.string('denotation'); break;
      default: r.skip();
    }
  }
  return dimension;
}

export function readOperatorSetId(r: ProtobufReader): OperatorSetIdProto {
  const operatorSet: Draft<OperatorSetIdProto> = {};
  while (r.next()) {
    switch (r.field) {
      case OPERATOR_SET_ID.domain: operatorSet.domain = r.string('domain'); break;
      case OPERATOR_SET_ID.version: operatorSet.version = r.int64('version'); break;
      default: r.skip();
    }
  }
  if (operatorSet.version === undefined) r.missing('version', OPERATOR_SET_ID.version, 'OperatorSetIdProto');
  return operatorSet as OperatorSetIdProto;
}

export function readEntry(r: ProtobufReader): StringStringEntryProto {
  let key = '';
  let value = '';
  while (r.next()) {
    switch (r.field) {
      case STRING_STRING_ENTRY.key: key = r.string('key'); break;
      case STRING_STRING_ENTRY.value: value = r.string('value'); break;
      default: r.skip();
    }
  }
  return { key, value };
}
