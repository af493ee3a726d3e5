import { ModelFormatError } from '@scratchnet/spec';

/**
 * An ONNX model that decodes but cannot become a scratchnet model: an operator outside the
 * supported set, an attribute value scratchnet has no layer for, a graph that is not a chain,
 * a missing or mis-sized weight. It is a `ModelFormatError` (code MODEL_FORMAT, exit 3 in the
 * runner) like the reader's OnnxFormatError, so callers treat a file that cannot be read and one
 * that cannot be mapped alike. `where` names the node (`node 4 "/conv2/Conv" (Conv)`) or the part
 * of the graph (`graph.input`); the parts stay apart as properties for callers and tests.
 */
export class OnnxImportError extends ModelFormatError {
  constructor(
    file: string,
    readonly where: string,
    readonly expected: string,
    readonly found: string,
    readonly hint?: string,
  ) {
    super(file, `${where}: expected ${expected}, found ${found}.${hint === undefined ? '' : ` ${hint}`}`);
  }
}
