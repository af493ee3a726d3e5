/**
 * The ONNX operator set versions the exporter writes, and the IR version each needs. Every node
 * form it writes (Gemm, Conv, MaxPool, AveragePool with count_include_pad, BatchNormalization,
 * Softmax on one axis, Reshape and Squeeze with their shape or axes as an input, ...) is valid
 * unchanged from opset 13 (ONNX 1.8) to 21 (ONNX 1.16).
 */
export const ONNX_OPSETS = { default: 17, min: 13, max: 21 } as const;

/**
 * The lowest IR version that carries `opset` (onnx's own version table): readers that
 * predate it refuse the file, and a reader can only run an opset it knows anyway.
 */
export function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/** Throws a RangeError naming the supported range unless `opset` is an integer in it. */
export function checkOpset(opset: number): void {
  if (!Number.isInteger(opset) || opset < ONNX_OPSETS.min || opset > ONNX_OPSETS.max) {
    throw new RangeError(`opset must be an integer from ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max}, got ${opset}`);
  }
}
