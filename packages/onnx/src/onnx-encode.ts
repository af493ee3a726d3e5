import { ATTRIBUTE, DIMENSION, GRAPH, MODEL, NODE, OPERATOR_SET_ID, SHAPE, STRING_STRING_ENTRY, TENSOR, TYPE, TYPE_TENSOR, VALUE_INFO } from './onnx-fields.js';
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
import { ProtobufWriter } from './protobuf-writer.js';

/**
 * Serialises a model to the bytes of an .onnx file. Fields are written in field-number order,
 * repeated numbers packed exactly where onnx.proto says [packed = true], and optional fields only
 * when defined: the same bytes protobuf's own serialiser (and so the onnx Python package) writes
 * for the same message. An int64 value that is not a safe integer throws a RangeError naming its
 * path (`graph.initializer[0].dims[1]`).
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const writer = new ProtobufWriter();
  writeModel(writer, model);
  return writer.finish();
}

// One writer per message. Exported for the field-by-field tests; the package exports only encodeModel.

export function writeModel(w: ProtobufWriter, model: ModelProto): void {
  w.int64(MODEL.ir_version, model.irVersion, 'ir_version');
  if (model.producerName !== undefined) w.string(MODEL.producer_name, model.producerName);
  if (model.producerVersion !== undefined) w.string(MODEL.producer_version, model.producerVersion);
  if (model.domain !== undefined) w.string(MODEL.domain, model.domain);
  if (model.modelVersion !== undefined) w.int64(MODEL.model_version, model.modelVersion, 'model_version');
  if (model.docString !== undefined) w.string(MODEL.doc_string, model.docString);
  w.message(MODEL.graph, 'graph', (g) => writeGraph(g, model.graph));
  for (const [i, operatorSet] of model.opsetImport.entries()) {
    w.message(MODEL.opset_import, `opset_import[${i}]`, (o) => writeOperatorSetId(o, operatorSet));
  }
  for (const [i, entry] of model.metadataProps.entries()) {
    w.message(MODEL.metadata_props, `metadata_props[${i}]`, (e) => writeEntry(e, entry));
  }
}

export function writeGraph(w: ProtobufWriter, graph: GraphProto): void {
  for (const [i, node] of graph.node.entries()) w.message(GRAPH.node, `node[${i}]`, (n) => writeNode(n, node));
  if (graph.name !== undefined) w.string(GRAPH.name, graph.name);
  for (const [i, tensor] of graph.initializer.entries()) w.message(GRAPH.initializer, `initializer[${i}]`, (t) => writeTensor(t, tensor));
  if (graph.docString !== undefined) w.string(GRAPH.doc_string, graph.docString);
  for (const [i, value] of graph.input.entries()) w.message(GRAPH.input, `input[${i}]`, (v) => writeValueInfo(v, value));
  for (const [i, value] of graph.output.entries()) w.message(GRAPH.output, `output[${i}]`, (v) => writeValueInfo(v, value));
  for (const [i, value] of graph.valueInfo.entries()) w.message(GRAPH.value_info, `value_info[${i}]`, (v) => writeValueInfo(v, value));
}

export function writeNode(w: ProtobufWriter, node: NodeProto): void {
  for (const input of node.input) w.string(NODE.input, input);
  for (const output of node.output) w.string(NODE.output, output);
  if (node.name !== undefined) w.string(NODE.name, node.name);
  w.string(NODE.op_type, node.opType);
  for (const [i, attribute] of node.attribute.entries()) w.message(NODE.attribute, `attribute[${i}]`, (a) => writeAttribute(a, attribute));
  if (node.docString !== undefined) w.string(NODE.doc_string, node.docString);
  if (node.domain !== undefined) w.string(NODE.domain, node.domain);
}

export function writeAttribute(w: ProtobufWriter, attribute: AttributeProto): void {
  w.string(ATTRIBUTE.name, attribute.name);
  if (attribute.f !== undefined) w.float(ATTRIBUTE.f, attribute.f);
  if (attribute.i !== undefined) w.int64(ATTRIBUTE.i, attribute.i, 'i');
  if (attribute.s !== undefined) w.string(ATTRIBUTE.s, attribute.s);
  const tensor = attribute.t;
  if (tensor !== undefined) w.message(ATTRIBUTE.t, 't', (t) => writeTensor(t, tensor));
  w.repeatedFloat(ATTRIBUTE.floats, attribute.floats);
  w.repeatedInt64(ATTRIBUTE.ints, attribute.ints, 'ints');
  for (const value of attribute.strings) w.string(ATTRIBUTE.strings, value);
  if (attribute.docString !== undefined) w.string(ATTRIBUTE.doc_string, attribute.docString);
  w.int32(ATTRIBUTE.type, attribute.type, 'type');
}

export function writeTensor(w: ProtobufWriter, tensor: TensorProto): void {
  w.repeatedInt64(TENSOR.dims, tensor.dims, 'dims');
  w.int32(TENSOR.data_type, tensor.dataType, 'data_type');
  w.packedFloat(TENSOR.float_data, tensor.floatData);
  w.packedInt32(TENSOR.int32_data, tensor.int32Data, 'int32_data');
  w.packedInt64(TENSOR.int64_data, tensor.int64Data, 'int64_data');
  if (tensor.name !== undefined) w.string(TENSOR.name, tensor.name);
  if (tensor.rawData !== undefined) w.bytes(TENSOR.raw_data, tensor.rawData);
  w.packedDouble(TENSOR.double_data, tensor.doubleData);
  if (tensor.docString !== undefined) w.string(TENSOR.doc_string, tensor.docString);
  for (const [i, entry] of tensor.externalData.entries()) w.message(TENSOR.external_data, `external_data[${i}]`, (e) => writeEntry(e, entry));
  if (tensor.dataLocation !== undefined) w.int32(TENSOR.data_location, tensor.dataLocation, 'data_location');
}

export function writeValueInfo(w: ProtobufWriter, value: ValueInfoProto): void {
  w.string(VALUE_INFO.name, value.name);
  const type = value.type;
  if (type !== undefined) w.message(VALUE_INFO.type, 'type', (t) => writeType(t, type));
  if (value.docString !== undefined) w.string(VALUE_INFO.doc_string, value.docString);
}

export function writeType(w: ProtobufWriter, type: TypeProto): void {
  const tensorType = type.tensorType;
  if (tensorType !== undefined) w.message(TYPE.tensor_type, 'tensor_type', (t) => writeTensorType(t, tensorType));
  if (type.denotation !== undefined) w.string(TYPE.denotation, type.denotation);
}

export function writeTensorType(w: ProtobufWriter, tensorType: TensorTypeProto): void {
  w.int32(TYPE_TENSOR.elem_type, tensorType.elemType, 'elem_type');
  const shape = tensorType.shape;
  if (shape !== undefined) w.message(TYPE_TENSOR.shape, 'shape', (s) => writeShape(s, shape));
}

export function writeShape(w: ProtobufWriter, shape: TensorShapeProto): void {
  for (const [i, dimension] of shape.dim.entries()) w.message(SHAPE.dim, `dim[${i}]`, (d) => writeDimension(d, dimension));
}

export function writeDimension(w: ProtobufWriter, dimension: TensorShapeDimension): void {
  if (dimension.dimValue !== undefined && dimension.dimParam !== undefined) {
    throw new RangeError(`${w.path}: dim_value and dim_param are a oneof; give one of them, found both (${dimension.dimValue} and "${dimension.dimParam}").`);
  }
  if (dimension.dimValue !== undefined) w.int64(DIMENSION.dim_value, dimension.dimValue, 'dim_value');
  if (dimension.dimParam !== undefined) w.string(DIMENSION.dim_param, dimension.dimParam);
  if (dimension.denotation !== undefined) w.string(DIMENSION.denotation, dimension.denotation);
}

export function writeOperatorSetId(w: ProtobufWriter, operatorSet: OperatorSetIdProto): void {
  if (operatorSet.domain !== undefined) w.string(OPERATOR_SET_ID.domain, operatorSet.domain);
  w.int64(OPERATOR_SET_ID.version, operatorSet.version, 'version');
}

export function writeEntry(w: ProtobufWriter, entry: StringStringEntryProto): void {
  w.string(STRING_STRING_ENTRY.key, entry.key);
  w.string(STRING_STRING_ENTRY.value, entry.value);
}
