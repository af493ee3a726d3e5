// The data-parallel worker thread: builds its own replica of the network on its own wasm
// backend, then per job copies the current weights in, runs forward, loss and backward on each
// shard of its block and writes each shard's gradient into that shard's slot. Started by
// workers.node.ts; nothing here runs on import except in a worker.
import { isMainThread, parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { LossPlugin, ModelConfig, PluginOptions } from '@scratchnet/spec';
import { createWasmBackend, type Tensor, type WasmFlavour } from '@scratchnet/tensor';
import { createDefaultRegistry } from '../default-registry.js';
import { runPass } from '../gradient-step.js';
import { buildNetwork } from '../network.js';
import { shardOffsets, shardSizes } from './plan.js';
import { CONTROL, CONTROL_INTS, SPINS, type BatchBuffers, type WorkerSetup, viewOf } from './protocol.js';
import { shardWeight } from './sharded-step.js';

function serve(setup: WorkerSetup & { readonly index: number; readonly port: MessagePort }): void {
  const backend = createWasmBackend({ flavour: setup.flavour as WasmFlavour });
  const registry = createDefaultRegistry();
  const network = buildNetwork(setup.model as ModelConfig, registry, { seed: 0, backend, dtype: 'float32', classes: setup.classes });
  const lossOptions = setup.loss as PluginOptions;
  const loss = (registry.get('loss', lossOptions.type) as LossPlugin).create(lossOptions as never, { backend });
  const params = setup.params.map(viewOf);
  const slots = setup.slots.map((perShard) => perShard.map(viewOf));
  const control = new Int32Array(setup.control, setup.index * CONTROL_INTS * 4, CONTROL_INTS);
  const outcomes = new Float64Array(setup.outcomes);
  const sampleSize = setup.sampleShape.reduce((a, b) => a * b, 1);
  const inputs = new Map<number, Tensor>();
  let images: Float32Array<ArrayBufferLike> = new Float32Array(0);
  let labels: Int32Array<ArrayBufferLike> = new Int32Array(0);

  const runJob = (): void => {
    if (Atomics.load(control, CONTROL.MAIL) === 1) {
      for (let message = receiveMessageOnPort(setup.port); message !== undefined; message = receiveMessageOnPort(setup.port)) {
        const mail = message.message as BatchBuffers;
        if (mail.images) images = new Float32Array(mail.images);
        if (mail.labels) labels = new Int32Array(mail.labels);
      }
      Atomics.store(control, CONTROL.MAIL, 0);
    }
    network.parameters.forEach((p, i) => p.value.data.set(params[i]!));
    const n = control[CONTROL.N]!;
    const sizes = shardSizes(n, setup.shards);
    const offsets = shardOffsets(sizes);
    const imagesAt = control[CONTROL.IMAGES_AT]! / 4;
    const first = control[CONTROL.FIRST]!;
    for (let j = first; j < first + control[CONTROL.COUNT]!; j++) {
      const size = sizes[j]!;
      outcomes[2 * j] = 0;
      outcomes[2 * j + 1] = 0;
      if (size === 0) continue;
      let input = inputs.get(size);
      if (input === undefined) inputs.set(size, (input = backend.zeros([size, ...setup.sampleShape])));
      const from = imagesAt + offsets[j]! * sampleSize;
      input.data.set(images.subarray(from, from + size * sampleSize));
      const outcome = runPass(network, loss, input, labels.subarray(offsets[j]!, offsets[j]! + size), shardWeight(loss, size, n));
      network.parameters.forEach((p, i) => slots[j]![i]!.set(p.grad.data));
      outcomes[2 * j] = outcome.loss;
      outcomes[2 * j + 1] = outcome.correct;
    }
  };

  setup.port.postMessage({ ready: true });
  let seen = 0;
  for (;;) {
    let seq = Atomics.load(control, CONTROL.SEQ);
    for (let spins = 0; seq === seen; seq = Atomics.load(control, CONTROL.SEQ)) {
      if (++spins > SPINS) {
        Atomics.wait(control, CONTROL.SEQ, seen, 1000);
        spins = 0;
      }
    }
    if (seq < 0) break;
    seen = seq;
    try {
      runJob();
      Atomics.store(control, CONTROL.DONE, seq);
    } catch (error) {
      setup.port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      Atomics.store(control, CONTROL.DONE, -seq);
    }
    Atomics.notify(control, CONTROL.DONE);
  }
}

if (!isMainThread && parentPort !== null) serve(workerData as WorkerSetup & { index: number; port: MessagePort });
