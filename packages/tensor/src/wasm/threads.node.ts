import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type WasmFlavour, compileKernels, createSharedMemory, instantiateKernels, type KernelExports } from './kernels.js';
import { type GemmCall, type ParallelEngine, runGemm } from './engine.js';
import { MAX_JOB_ARGS, SLOT, SLOTS_PER_WORKER, SPINS, WORKER_SOURCE } from './worker-source.js';
import { Workspace } from './workspace.js';
import { type WasmBackend, wasmBackendOn } from '../wasm-backend.js';

/**
 * Below this many flops a GEMM stays on the calling thread: handing a ~100 µs job to a worker
 * (wake-up, operands moving to the other core's cache) cost more than it saved; measured with
 * the 3 MFLOP GEMMs of the mlp-small bench recipe, which trained slower when split.
 */
const MIN_SPLIT_FLOPS = 1 << 23;
/** Register tile of the kernel: row splits stay multiples of MR, column splits of NR. */
const MR = 4;
const NR = 8;

export interface ThreadedWasmBackendOptions {
  /** Threads computing each large GEMM, the calling one included; default: every core. */
  readonly threads?: number;
  readonly flavour?: WasmFlavour;
}

/** The wasm backend whose dispose() stops its worker threads (they never keep the process alive, so that is optional). */
export type ThreadedWasmBackend = WasmBackend;

interface Pool {
  readonly workers: readonly Worker[];
  readonly control: Int32Array;
  /** Export names by job index, as the workers were given them. */
  readonly names: readonly string[];
}

/** Starts `count` workers on the shared memory and waits (blocking, up to 10 s each) until each is ready. */
function startPool(module: object, memory: object, count: number, names: readonly string[]): Pool {
  const control = new Int32Array(new SharedArrayBuffer(Math.max(count, 1) * SLOTS_PER_WORKER * 4));
  const workers = Array.from({ length: count }, (_, index) => {
    const workerData = { module, memory, control: control.buffer, index, names };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.unref();
    return worker;
  });
  workers.forEach((_, index) => {
    const ready = index * SLOTS_PER_WORKER + SLOT.READY;
    if (Atomics.load(control, ready) === 0 && Atomics.wait(control, ready, 0, 10_000) === 'timed-out') {
      throw new Error(`threaded wasm backend: worker ${index + 1} did not start within 10 s`);
    }
  });
  return { workers, control, names };
}

function gemmArgs(g: GemmCall, scratch: number): number[] {
  return [g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.m, g.n, g.k, +g.transA, +g.transB, +g.accumulate, scratch];
}

/**
 * Splits C into one block of rows (or columns, when C is wider than tall) per thread, aligned to
 * the register tile. Every C value is still summed in the same order as on one thread, so the
 * result is bit-identical whatever the thread count.
 */
export function splitGemm(g: GemmCall, parts: number): GemmCall[] {
  const byRows = g.m >= g.n;
  const extent = byRows ? g.m : g.n;
  const align = byRows ? MR : NR;
  const chunk = Math.ceil(Math.ceil(extent / parts) / align) * align;
  const calls: GemmCall[] = [];
  for (let start = 0; start < extent; start += chunk) {
    const size = Math.min(chunk, extent - start);
    if (byRows) {
      calls.push({ ...g, m: size, a: g.a + 4 * (g.transA ? start : start * g.lda), c: g.c + 4 * start * g.ldc });
    } else {
      calls.push({ ...g, n: size, b: g.b + 4 * (g.transB ? start * g.ldb : start), c: g.c + 4 * start });
    }
  }
  return calls;
}

function threadedEngine(wasm: KernelExports, pool: Pool): ParallelEngine {
  const { control } = pool;
  const threads = pool.workers.length + 1;
  const table = wasm as unknown as Record<string, (...args: number[]) => void>;
  const jobIndex = new Map(pool.names.map((name, index) => [name, index]));
  let sequence = 0;

  /** Runs argLists[0] here and argLists[w] on worker w, then waits for the workers. */
  const run = (name: string, argLists: readonly (readonly number[])[]): void => {
    const fn = jobIndex.get(name);
    if (fn === undefined || argLists.length > threads) {
      throw new RangeError(`threaded wasm backend: cannot run ${argLists.length} jobs of "${name}" on ${threads} threads`);
    }
    sequence = sequence >= 0x3fffffff ? 1 : sequence + 1;
    for (let w = 1; w < argLists.length; w++) {
      const args = argLists[w]!;
      if (args.length > MAX_JOB_ARGS) throw new RangeError(`threaded wasm backend: "${name}" takes at most ${MAX_JOB_ARGS} arguments`);
      const base = (w - 1) * SLOTS_PER_WORKER;
      control[base + SLOT.FN] = fn;
      control[base + SLOT.COUNT] = args.length;
      control.set(args, base + SLOT.ARGS);
      Atomics.store(control, base + SLOT.SEQ, sequence);
      Atomics.notify(control, base + SLOT.SEQ);
    }
    if (argLists.length > 0) table[name]!(...argLists[0]!);
    for (let w = 1; w < argLists.length; w++) waitFor(control, (w - 1) * SLOTS_PER_WORKER + SLOT.DONE, sequence, w);
  };

  const splits = (m: number, n: number, k: number): boolean => threads > 1 && 2 * m * n * k >= MIN_SPLIT_FLOPS;

  return {
    threads,
    gemm(g, scratch, scratchBytes) {
      if (!splits(g.m, g.n, g.k)) return runGemm(wasm, g, scratch);
      run('gemm', splitGemm(g, threads).map((part, w) => gemmArgs(part, scratch + w * scratchBytes)));
    },
    splits,
    parallel: run,
  };
}

/** Blocks until the worker has finished job `sequence` (spinning briefly, then sleeping). */
function waitFor(control: Int32Array, done: number, sequence: number, worker: number): void {
  for (let spins = 0; ; spins++) {
    const value = Atomics.load(control, done);
    if (value === sequence) return;
    if (value === -sequence) throw new Error(`threaded wasm backend: worker ${worker} failed running a job`);
    if (spins > SPINS) Atomics.wait(control, done, value, 1000);
  }
}

/**
 * The wasm backend with large GEMMs split across worker threads that share its memory (Node
 * only: the calling thread blocks in Atomics.wait while workers finish). Everything else runs on
 * the calling thread. Results are bit-identical to the single-threaded wasm backend; zeros()
 * tensors live in the shared memory like the single-threaded backend's.
 */
export function createThreadedWasmBackend(options: ThreadedWasmBackendOptions = {}): ThreadedWasmBackend {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`createThreadedWasmBackend: threads must be an integer >= 1, got ${threads}`);
  }
  const compiled = compileKernels(options.flavour, true);
  const memory = createSharedMemory();
  if (memory === undefined) {
    throw new Error('threaded wasm backend: this runtime cannot create a shared WebAssembly.Memory; use createWasmBackend() (one thread) instead');
  }
  const workspace = new Workspace(instantiateKernels(compiled, memory), true);
  const names = Object.keys(workspace.kernels).filter((name) => typeof (workspace.kernels as unknown as Record<string, unknown>)[name] === 'function');
  const pool = startPool(compiled.module, memory, threads - 1, names);
  let stopped: Promise<void> | undefined;
  const dispose = (): Promise<void> => {
    stopped ??= (async () => {
      pool.workers.forEach((_, w) => {
        Atomics.store(pool.control, w * SLOTS_PER_WORKER + SLOT.SEQ, -1);
        Atomics.notify(pool.control, w * SLOTS_PER_WORKER + SLOT.SEQ);
      });
      await Promise.all(pool.workers.map((worker) => worker.terminate()));
    })();
    return stopped;
  };
  return wasmBackendOn(workspace, compiled.flavour, threadedEngine(workspace.kernels, pool), dispose);
}
