import { allocate, formatShape, shapeSize, Tensor } from '@scratchnet/tensor';
import type { Backend, DType, Rng, Shape } from '@scratchnet/tensor';
import { createBatchFiller } from './batch-filler.js';
import type { BatchPreprocess, ImageValues } from './preprocess.js';

/** Anything shaped like a `Dataset`: sample-major images and one integer label per sample. */
export interface LabelledImages {
  /**
   * count * product(sampleShape) values: floats, or bytes (a Dataset's usual pixels), which
   * batches convert to float32 as they are gathered.
   */
  readonly images: ImageValues;
  readonly labels: ArrayLike<number>;
  /** Per-sample shape of `images`. */
  readonly sampleShape: Shape;
  readonly count: number;
  /**
   * Fitted preprocessing (fitPreprocess, createPreprocess) that every batch goes through right
   * after it is gathered, prepared for samples of sampleShape; batches then hold samples of its
   * outputShape. Without it, batches hold the images as they are (bytes converted to float).
   */
  readonly preprocess?: BatchPreprocess;
}

export type LastBatch = 'keep' | 'drop';

export interface BatcherOptions {
  readonly batchSize: number;
  /** Draw a new order every epoch (from `rng`); otherwise samples come in file order. */
  readonly shuffle: boolean;
  /** A last batch smaller than batchSize is kept (default) or dropped. */
  readonly lastBatch?: LastBatch;
  /** Needed when shuffle is on. */
  readonly rng?: Rng;
  /** dtype of the image batches (default float32). */
  readonly dtype?: DType;
  /** The backend whose kernels gather byte images (default: the JS reference ones). */
  readonly backend?: Backend;
  /**
   * With a backend, allocate the batch buffer with `backend.zeros` and place byte images with
   * `backend.residentBytes`, in the memory its kernels read in place (the wasm backend's), so
   * neither is copied per batch. For one long training run (the default): that memory lives as
   * long as the backend. false for short-lived batchers, such as evaluate's.
   */
  readonly resident?: boolean;
}

export interface Batch {
  /** 0-based position in the epoch. */
  readonly index: number;
  /** [size, ...Batcher.sampleShape]; a reused buffer, valid until the next `batch()` call. */
  readonly images: Tensor;
  /** size labels; a reused buffer, valid until the next `batch()` call. */
  readonly labels: Int32Array;
  readonly size: number;
}

export interface Batcher {
  readonly batchSize: number;
  /** Per-sample shape of the batches: the preprocessing's outputShape, else the images'. */
  readonly sampleShape: Shape;
  readonly batchesPerEpoch: number;
  /** Samples seen per epoch (count, minus the dropped remainder). */
  readonly samplesPerEpoch: number;
  /**
   * Starts an epoch: resets the order to 0..count-1 and, with shuffle on, permutes it with
   * `rng`. Restoring the rng state and calling this again regenerates the same order.
   */
  startEpoch(): void;
  /** Gathers batch `index` (0-based) of the current epoch. */
  batch(index: number): Batch;
}

/** Batches per epoch for `count` samples. */
export function countBatches(count: number, batchSize: number, lastBatch: LastBatch = 'keep'): number {
  return lastBatch === 'drop' ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * Mini-batches over an in-memory data set. The order is a permutation of sample indices (the
 * data itself is never copied per epoch); rows are gathered, converted and preprocessed (see
 * createBatchFiller) into one preallocated buffer, the smaller last batch being a view on the
 * front of it, so batching allocates nothing.
 */
export function createBatcher(data: LabelledImages, options: BatcherOptions): Batcher {
  const { batchSize, shuffle, rng } = options;
  const lastBatch = options.lastBatch ?? 'keep';
  const sampleSize = shapeSize(data.sampleShape);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (data.images.length !== data.count * sampleSize || data.labels.length < data.count) {
    throw new RangeError(
      `data set of ${data.count} samples of ${formatShape(data.sampleShape)} needs ${data.count * sampleSize} ` +
        `image values and ${data.count} labels, got ${data.images.length} and ${data.labels.length}`,
    );
  }
  if (shuffle && rng === undefined) throw new TypeError('createBatcher: shuffle needs an rng');

  const count = data.count;
  const resident = options.backend !== undefined && options.resident !== false;
  const batchesPerEpoch = countBatches(count, batchSize, lastBatch);
  const fullSize = Math.min(batchSize, count);
  const lastSize = count % batchSize === 0 || lastBatch === 'drop' ? fullSize : count % batchSize;
  const order = new Int32Array(count);
  // Each batch's indices: views of `order`, which shuffles in place, made once.
  const batchIndices = Array.from({ length: batchesPerEpoch }, (_, b) => order.subarray(b * batchSize, Math.min(count, (b + 1) * batchSize)));
  const filler = createBatchFiller(data.images, data.sampleShape, {
    rows: fullSize,
    ...(data.preprocess === undefined ? {} : { preprocess: data.preprocess }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    placeBytes: resident,
  });
  const shape = filler.sampleShape;
  const batchValues = shapeSize(shape);
  const dtype = options.dtype ?? 'float32';
  const imageBuffer = resident ? options.backend!.zeros([fullSize * batchValues], dtype).data : allocate(dtype, fullSize * batchValues);
  const labelBuffer = new Int32Array(fullSize);
  const full = {
    images: new Tensor([fullSize, ...shape], imageBuffer),
    labels: labelBuffer,
  };
  const last = {
    images: new Tensor([lastSize, ...shape], imageBuffer.subarray(0, lastSize * batchValues)),
    labels: labelBuffer.subarray(0, lastSize),
  };

  const resetOrder = (): void => {
    for (let i = 0; i < count; i++) order[i] = i;
  };
  resetOrder();

  return {
    batchSize,
    sampleShape: shape,
    batchesPerEpoch,
    samplesPerEpoch: lastBatch === 'drop' ? batchesPerEpoch * batchSize : count,
    startEpoch(): void {
      if (!shuffle) return;
      resetOrder();
      rng!.shuffle(order);
    },
    batch(index: number): Batch {
      if (!Number.isInteger(index) || index < 0 || index >= batchesPerEpoch) {
        throw new RangeError(`batch index ${index} is outside 0..${batchesPerEpoch - 1}`);
      }
      const target = index === batchesPerEpoch - 1 && lastSize !== fullSize ? last : full;
      const size = target.labels.length;
      const indices = batchIndices[index]!;
      filler.fill(indices, imageBuffer);
      for (let row = 0; row < size; row++) labelBuffer[row] = data.labels[indices[row]!]!;
      return { index, images: target.images, labels: target.labels, size };
    },
  };
}
