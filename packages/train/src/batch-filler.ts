import { type Backend, type FloatArray, type Shape, Tensor, createJsBackend, formatShape, shapeSize } from '@scratchnet/tensor';
import { type BatchPreprocess, type ImageValues, checkPreprocessInput, runSteps } from './preprocess.js';

export interface BatchFillerOptions {
  /** The most samples one fill writes. */
  readonly rows: number;
  /** Run on every batch after it is gathered (see BatchPreprocess); its inputShape must be the images'. */
  readonly preprocess?: BatchPreprocess;
  /** Whose gatherBytes kernel gathers byte images (default: the JS reference). */
  readonly backend?: Backend;
  /**
   * Place byte images in the backend's memory (backend.residentBytes) so its kernel reads them
   * in place. For long-lived fillers (a training run): that memory lives as long as the backend.
   */
  readonly placeBytes?: boolean;
}

/** Writes samples, chosen by index, into batch buffers. */
export interface BatchFiller {
  /** Per-sample shape of what fill writes: the preprocessing's outputShape, else the images'. */
  readonly sampleShape: Shape;
  /** Writes the samples at `indices` into the first indices.length samples of `out`. */
  fill(indices: Int32Array, out: FloatArray): void;
}

/**
 * Batches of sample-major `images` (of `sampleShape`), made in the order training has always
 * made them, so a batch is bit for bit what gathering rows of a preprocessed copy of the whole
 * set gave: gather the rows -> convert to float32 -> each fitted step -> the batch's dtype.
 * Bytes are gathered and converted in one kernel pass through the preprocessing's last byte
 * table, which also does its leading elementwise steps (scale: all of MNIST's preprocessing).
 * Float images are copied row by row (straight into the batch when there are no steps).
 * Float32 batches whose steps keep the sample size are made in place in `out`; otherwise in a
 * float32 buffer of `rows` samples that fill copies from.
 */
export function createBatchFiller(images: ImageValues, sampleShape: Shape, options: BatchFillerOptions): BatchFiller {
  const { preprocess } = options;
  if (preprocess !== undefined) checkPreprocessInput(preprocess, sampleShape, 'createBatcher');
  const inSize = shapeSize(sampleShape);
  const outShape = preprocess?.outputShape ?? sampleShape;
  const outSize = shapeSize(outShape);
  const bytes = images instanceof Uint8Array;
  // Byte images skip the steps their table holds; floats run them all.
  const from = bytes ? (preprocess?.byteTables.length ?? 1) - 1 : 0;
  const table = preprocess?.byteTables.at(-1) ?? Float32Array.from({ length: 256 }, (_, v) => v);
  const kernels = bytes ? (options.backend ?? createJsBackend()) : undefined;
  const source = bytes && options.placeBytes === true && options.backend !== undefined ? options.backend.residentBytes(images) : images;
  let work: Float32Array | undefined;
  // Tensor views of a float32 buffer per row count, made once (a batcher fills two sizes).
  const views = new WeakMap<Float32Array, Map<number, Tensor>>();
  const view = (data: Float32Array, rows: number): Tensor => {
    let byRows = views.get(data);
    if (byRows === undefined) views.set(data, (byRows = new Map()));
    let tensor = byRows.get(rows);
    if (tensor === undefined) byRows.set(rows, (tensor = new Tensor([rows, inSize], data.subarray(0, rows * inSize))));
    return tensor;
  };

  /** The rows at `indices`, as float32 in `target` (first indices.length samples). */
  const gather = (indices: Int32Array, target: Float32Array): Float32Array => {
    const rows = indices.length;
    if (kernels !== undefined) return kernels.gatherBytes(source as Uint8Array, indices, table, view(target, rows)).data as Float32Array;
    for (let r = 0; r < rows; r++) {
      const sample = indices[r]!;
      target.set(images.subarray(sample * inSize, (sample + 1) * inSize), r * inSize);
    }
    return view(target, rows).data as Float32Array;
  };

  return {
    sampleShape: outShape,
    fill(indices, out) {
      const rows = indices.length;
      if (rows > options.rows || out.length < rows * outSize) {
        throw new RangeError(`fill: ${rows} samples of ${formatShape(outShape)} do not fit a buffer of ${options.rows} rows (${out.length} values)`);
      }
      if (!bytes && preprocess === undefined) {
        // Rows copied as they are, into the batch's dtype.
        for (let r = 0; r < rows; r++) {
          const sample = indices[r]!;
          out.set(images.subarray(sample * inSize, (sample + 1) * inSize), r * outSize);
        }
        return;
      }
      const inPlace = out instanceof Float32Array && inSize === outSize;
      const target = inPlace ? out : (work ??= new Float32Array(options.rows * inSize));
      const floats = gather(indices, target);
      const result = preprocess === undefined ? floats : runSteps(preprocess, floats, from);
      if (result !== floats || !inPlace) out.set(result);
    },
  };
}
