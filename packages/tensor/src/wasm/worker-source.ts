/**
 * Layout of one worker's 128-byte control block (Int32 slots) in the shared control buffer. The
 * main thread writes a job (which export, how many arguments, the arguments), then bumps SEQ;
 * the worker runs it and stores DONE = SEQ (or -SEQ when it threw). SEQ = -1 tells it to exit.
 */
export const SLOT = { SEQ: 0, DONE: 1, FN: 2, COUNT: 3, ARGS: 4, READY: 31 } as const;
export const SLOTS_PER_WORKER = 32;
/** Most integer arguments one job can take. */
export const MAX_JOB_ARGS = SLOT.READY - SLOT.ARGS;
/**
 * Polls before sleeping in Atomics.wait, a few hundred microseconds: long enough that a worker
 * stays awake across the serial work between one training step's parallel jobs (conv, pooling,
 * GEMMs), so it starts each job without a futex wake-up (LeNet-5 trains about 8% faster than
 * with 20,000 polls).
 */
export const SPINS = 200000;

/**
 * The worker's program (CommonJS, run with `eval: true` so no file is looked up): instantiate
 * the shared-memory kernels on the memory it is given, then run jobs (an export, by its index
 * in `names`, with integer arguments) until told to stop.
 */
export const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index, names } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((name) => exports[name]);
const ctl = new Int32Array(control, index * ${SLOTS_PER_WORKER * 4}, ${SLOTS_PER_WORKER});
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
    const count = ctl[${SLOT.COUNT}];
    fns[ctl[${SLOT.FN}]](...ctl.subarray(${SLOT.ARGS}, ${SLOT.ARGS} + count));
    Atomics.store(ctl, ${SLOT.DONE}, seq);
  } catch (error) {
    Atomics.store(ctl, ${SLOT.DONE}, -seq);
  }
  Atomics.notify(ctl, ${SLOT.DONE});
}
`;
