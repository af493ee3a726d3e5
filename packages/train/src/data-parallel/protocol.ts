/**
 * The shared-memory protocol between the calling thread and a data-parallel worker: one Int32
 * control block per worker, in which the caller writes a job and bumps SEQ; the worker runs it
 * and stores DONE = SEQ (or -SEQ after an error, whose message it posts). SEQ = -1 stops it.
 */
export const CONTROL = {
  SEQ: 0,
  DONE: 1,
  /** Samples in the batch. */
  N: 2,
  /** The worker's block of shards. */
  FIRST: 3,
  COUNT: 4,
  /** Byte offset of the batch's images in the images buffer. */
  IMAGES_AT: 5,
  /** 1 when messages (new buffers) wait on the worker's port before the job. */
  MAIL: 6,
} as const;
export const CONTROL_INTS = 8;

/** Polls before sleeping: enough to stay awake across the optimiser step between two batches. */
export const SPINS = 100_000;
/** A job that has not finished after this long means the worker is gone. */
export const JOB_TIMEOUT_MS = 300_000;

/** A Float32Array's place in shared memory, as a worker rebuilds the view. */
export interface SharedView {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly length: number;
}

/** What a worker is started with (structured-cloned; the buffers are shared, not copied). */
export interface WorkerSetup {
  readonly model: unknown;
  readonly loss: unknown;
  readonly classes: number;
  readonly flavour: string;
  readonly shards: number;
  readonly sampleShape: readonly number[];
  /** The caller's parameters, in network order. */
  readonly params: readonly SharedView[];
  /** Per shard, per parameter: where that shard's gradient goes. */
  readonly slots: readonly (readonly SharedView[])[];
  readonly control: SharedArrayBuffer;
  /** Float64 [loss, correct] per shard. */
  readonly outcomes: SharedArrayBuffer;
}

/** Messages on the port before a job: the buffers the batch's images and labels now live in. */
export interface BatchBuffers {
  readonly images?: SharedArrayBuffer;
  readonly labels?: SharedArrayBuffer;
}

/** Waits until control[slot] === value, spinning first; false on timeout. */
export function waitUntil(control: Int32Array, slot: number, value: number, timeoutMs: number): boolean {
  const deadline = performance.now() + timeoutMs;
  for (let spins = 0; ; spins++) {
    const seen = Atomics.load(control, slot);
    if (seen === value || seen === -value) return true;
    if (spins > SPINS) {
      if (performance.now() > deadline) return false;
      Atomics.wait(control, slot, seen, 100);
    }
  }
}

export function viewOf(view: SharedView): Float32Array {
  return new Float32Array(view.buffer, view.byteOffset, view.length);
}
