import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Loss, ModelConfig, PluginOptions } from '@scratchnet/spec';
import type { Tensor, WasmBackend } from '@scratchnet/tensor';
import type { GradientStep } from '../gradient-step.js';
import type { Network } from '../network.js';
import { shardBlocks, type ShardBlock } from './plan.js';
import { CONTROL, CONTROL_INTS, JOB_TIMEOUT_MS, type SharedView, type WorkerSetup, waitUntil } from './protocol.js';
import { createShardedStep, createSlots, type RemoteShards, type ShardJob } from './sharded-step.js';

export interface DataParallelOptions {
  /** The validated model config the network was built from: each worker builds a replica. */
  readonly model: ModelConfig;
  /** The validated loss options `loss` was created from. */
  readonly loss: PluginOptions;
  /** Classes the network was built for. */
  readonly classes: number;
  /** Micro-shards per batch (1, 2, 4, 8 or 16); the arithmetic depends on it, not on threads. */
  readonly shards: number;
  /** Threads to use, the calling one included (at most `shards` are busy). */
  readonly threads: number;
}

/**
 * Data-parallel training in worker threads (Node): a GradientStep for fit() that cuts every batch
 * into `shards` fixed micro-shards and runs them on `threads` threads, each with a replica of the
 * network (built-in plugins only, from `createDefaultRegistry`) on its own wasm backend, reading
 * the weights and writing shard gradients in the caller's shared wasm memory. The shard
 * gradients are summed in a fixed tree, so 1, 2 or 4 threads train the same model bit for bit.
 * Needs the wasm backend on shared memory; otherwise (or with one thread) every shard runs on the
 * calling thread, which gives the same result. dispose() stops the workers.
 */
export async function createDataParallelStep(network: Network, loss: Loss, options: DataParallelOptions): Promise<GradientStep> {
  const { shards } = options;
  if (![1, 2, 4, 8, 16].includes(shards)) throw new RangeError(`createDataParallelStep: shards must be 1, 2, 4, 8 or 16, got ${shards}`);
  const backend = network.backend as Partial<WasmBackend>;
  const shared = backend.name === 'wasm' && backend.sharedMemory === true && network.parameters.every((p) => isShared(p.value));
  const threads = shared ? shardBlocks(shards, options.threads).length : 1;
  if (threads === 1 || shards === 1) return createShardedStep(network, loss, { shards });
  const slots = createSlots(network, shards);
  const remote = await startWorkers(network, options, slots, backend.flavour!, threads);
  return createShardedStep(network, loss, { shards, remote, slots });
}

const isShared = (tensor: Tensor): boolean => tensor.data.buffer instanceof SharedArrayBuffer;

function sharedView(tensor: Tensor): SharedView {
  const data = tensor.data as Float32Array;
  return { buffer: data.buffer as SharedArrayBuffer, byteOffset: data.byteOffset, length: data.length };
}

/** The worker module, next to this one; tests run this file from src/, the worker from dist/. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL(here.replace('/src/', '/dist/').replace(/\.ts$/, '.js').replace('workers.node.js', 'worker.node.js')) : new URL('./worker.node.js', here);
}

/**
 * V8 options Node accepts on its command line (and in NODE_OPTIONS) but refuses in a worker's
 * execArgv (ERR_WORKER_INVALID_EXEC_ARGV). V8's flags are process-wide, so the worker has them
 * anyway; `--experimental-wasm-*` and the other V8 flags outside NODE_OPTIONS fail the same way.
 */
const V8_OPTIONS = new Set([
  '--abort-on-uncaught-exception',
  '--disallow-code-generation-from-strings',
  '--enable-etw-stack-walking',
  '--expose-gc',
  '--huge-max-old-generation-size',
  '--interpreted-frames-native-stack',
  '--jitless',
  '--max-old-space-size',
  '--max-semi-space-size',
  '--perf-basic-prof',
  '--perf-basic-prof-only-functions',
  '--perf-prof',
  '--perf-prof-unwinding-info',
  '--stack-trace-limit',
]);

/**
 * The process's Node options for the worker: without export conditions (the worker runs the
 * built JavaScript, so a condition that points packages at their TypeScript sources, as the test
 * runner sets, must not reach it) and without V8 options (which Node refuses there and which
 * reach the worker anyway: relaxed SIMD on Node 20 is one). Takes the flags and a value as
 * separate arguments too (`--conditions source`).
 */
export function workerArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const argv: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const name = arg.split('=')[0]!;
    const next = arg.includes('=') ? undefined : execArgv[i + 1];
    if (name === '--conditions' || name === '-C') {
      if (next !== undefined && !next.startsWith('-')) i++;
    } else if (arg.startsWith('-') && (V8_OPTIONS.has(name.replace(/_/g, '-')) || !process.allowedNodeEnvironmentFlags.has(name))) {
      // A V8 flag's number may follow as its own argument (--max-old-space-size 4096).
      if (next !== undefined && /^\d+$/.test(next)) i++;
    } else argv.push(arg);
  }
  return argv;
}

interface Handle {
  readonly worker: Worker;
  readonly port: MessagePort;
  images?: ArrayBufferLike;
  labels?: SharedArrayBuffer;
}

async function startWorkers(network: Network, options: DataParallelOptions, slots: readonly (readonly Tensor[])[], flavour: string, threads: number): Promise<RemoteShards> {
  const control = new Int32Array(new SharedArrayBuffer(threads * CONTROL_INTS * 4));
  const outcomes = new Float64Array(new SharedArrayBuffer(options.shards * 2 * 8));
  const setup: WorkerSetup = {
    model: options.model,
    loss: options.loss,
    classes: options.classes,
    flavour,
    shards: options.shards,
    sampleShape: network.inputShape,
    params: network.parameters.map((p) => sharedView(p.value)),
    slots: slots.map((perShard) => perShard.map(sharedView)),
    control: control.buffer as SharedArrayBuffer,
    outcomes: outcomes.buffer as SharedArrayBuffer,
  };
  const handles: Handle[] = [];
  const stop = async (): Promise<void> => {
    handles.forEach((_, w) => {
      Atomics.store(control, (w + 1) * CONTROL_INTS + CONTROL.SEQ, -1);
      Atomics.notify(control, (w + 1) * CONTROL_INTS + CONTROL.SEQ);
    });
    await Promise.all(handles.map((h) => h.worker.terminate()));
  };
  for (let t = 1; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(workerUrl(), { workerData: { ...setup, index: t, port: port2 }, transferList: [port2], execArgv: workerArgv() });
    worker.unref();
    handles.push({ worker, port: port1 });
  }
  try {
    await Promise.all(handles.map((h) => ready(h)));
  } catch (error) {
    await stop();
    throw error;
  }
  let sequence = 0;
  let labels = new Int32Array(new SharedArrayBuffer(4));
  let lastJob: ShardJob | undefined;
  const block = (t: number): Int32Array => control.subarray(t * CONTROL_INTS, (t + 1) * CONTROL_INTS);

  return {
    threads,
    start(t: number, shardBlock: ShardBlock, job: ShardJob): void {
      if (job !== lastJob) {
        lastJob = job;
        sequence = sequence >= 0x3fffffff ? 1 : sequence + 1;
        if (labels.length < job.labels.length) labels = new Int32Array(new SharedArrayBuffer(job.labels.length * 4));
        labels.set(job.labels);
      }
      const h = handles[t - 1]!;
      const mine = block(t);
      const images = job.images.data.buffer;
      if (!(images instanceof SharedArrayBuffer)) throw new TypeError('data-parallel training needs batches in the shared wasm memory (createBatcher with the backend)');
      if (h.images !== images || h.labels !== labels.buffer) {
        h.port.postMessage({ images, labels: labels.buffer });
        h.images = images;
        h.labels = labels.buffer as SharedArrayBuffer;
        mine[CONTROL.MAIL] = 1;
      }
      mine[CONTROL.N] = job.images.rows;
      mine[CONTROL.FIRST] = shardBlock.first;
      mine[CONTROL.COUNT] = shardBlock.count;
      mine[CONTROL.IMAGES_AT] = job.images.data.byteOffset;
      Atomics.store(mine, CONTROL.SEQ, sequence);
      Atomics.notify(mine, CONTROL.SEQ);
    },
    finish(t: number) {
      const mine = block(t);
      if (!waitUntil(mine, CONTROL.DONE, sequence, JOB_TIMEOUT_MS)) {
        throw new Error(`data-parallel training: worker ${t} has not finished its shards after ${JOB_TIMEOUT_MS / 1000} s`);
      }
      if (Atomics.load(mine, CONTROL.DONE) !== sequence) {
        const message = receiveMessageOnPort(handles[t - 1]!.port)?.message as { error?: string } | undefined;
        throw new Error(`data-parallel training: worker ${t} failed: ${message?.error ?? 'no message'}`);
      }
      const { first, count } = shardBlocks(options.shards, threads)[t]!;
      return Array.from({ length: count }, (_, k) => ({ loss: outcomes[2 * (first + k)]!, correct: outcomes[2 * (first + k) + 1]! }));
    },
    dispose: stop,
  };
}

/** Resolves when the worker has built its replica; rejects when it fails or exits first. */
function ready(h: Handle): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(new Error(`data-parallel training: a worker failed to start: ${error.message}`));
    h.worker.once('error', fail);
    h.worker.once('exit', (code) => fail(new Error(`it exited with code ${code}`)));
    h.port.once('message', (message: { ready?: boolean; error?: string }) => {
      h.port.removeAllListeners('message');
      if (message.ready === true) resolve();
      else fail(new Error(message.error ?? 'unexpected message'));
    });
  });
}
