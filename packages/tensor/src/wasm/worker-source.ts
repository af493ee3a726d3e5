/**
 * Layout of one worker's 64-byte control block (Int32 slots) in the shared control buffer. The
 * main thread writes a job's arguments, then bumps SEQ; the worker runs the job and stores
 * DONE = SEQ (or -SEQ when it threw). SEQ = -1 tells the worker to exit.
 */
export const SLOT = { SEQ: 0, DONE: 1, ARGS: 2, READY: 15 } as const;
export const SLOTS_PER_WORKER = 16;
/** Polls before sleeping in Atomics.wait: a few tens of microseconds, shorter than a futex wake-up. */
export const SPINS = 20000;

/**
 * The worker's program (CommonJS, run with `eval: true` so no file is looked up): instantiate
 * the shared-memory kernels on the memory it is given, then run gemm jobs until told to stop.
 */
export const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const ctl = new Int32Array(control, index * ${SLOTS_PER_WORKER * 4}, ${SLOTS_PER_WORKER});
const A = ${SLOT.ARGS};
Atomics.store(ctl, ${SLOT.READY}, 1);
Atomics.notify(ctl, ${SLOT.READY});
let seen = 0;
for (;;) {
  let seq = Atomics.load(ctl, ${SLOT.SEQ});
  for (let spins = 0; seq === seen; seq = Atomics.load(ctl, ${SLOT.SEQ})) {
    if (++spins > ${SPINS}) {
      Atomics.wait(ctl, ${SLOT.SEQ}, seen);
      spins = 0;
    }
  }
  if (seq < 0) break;
  seen = seq;
  try {
    gemm(ctl[A], ctl[A + 1], ctl[A + 2], ctl[A + 3], ctl[A + 4], ctl[A + 5], ctl[A + 6],
      ctl[A + 7], ctl[A + 8], ctl[A + 9], ctl[A + 10], ctl[A + 11], ctl[A + 12]);
    Atomics.store(ctl, ${SLOT.DONE}, seq);
  } catch (error) {
    Atomics.store(ctl, ${SLOT.DONE}, -seq);
  }
  Atomics.notify(ctl, ${SLOT.DONE});
}
`;
