import { ModelFormatError } from '@scratchnet/spec';

/**
 * An ONNX file that cannot be read: truncated, a wrong wire type, a size above a limit, a
 * missing required field. It is a `ModelFormatError` (code MODEL_FORMAT, exit 3 in the runner)
 * and keeps the parts of its message apart, so a caller (or a test) can tell where it happened
 * without parsing text. `fieldPath` uses onnx.proto's own field names, e.g.
 * `graph.initializer[3].raw_data`, so it can be looked up in the schema directly.
 */
export class OnnxFormatError extends ModelFormatError {
  constructor(
    file: string,
    readonly byteOffset: number,
    readonly fieldPath: string,
    readonly expected: string,
    readonly found: string,
    readonly hint?: string,
  ) {
    super(file, `byte ${byteOffset} (${fieldPath}): expected ${expected}, found ${found}.${hint === undefined ? '' : ` ${hint}`}`);
  }
}
