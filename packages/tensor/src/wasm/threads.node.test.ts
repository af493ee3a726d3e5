import { afterAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../ops/test-helpers.js';
import { createNodeBackend } from '../node.js';
import { createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { type ThreadedWasmBackend, createThreadedWasmBackend, splitGemm } from './threads.node.js';
import type { GemmCall } from './engine.js';

const call = (m: number, n: number, k: number, transA = false, transB = false): GemmCall => ({
  a: 1000,
  lda: transA ? m : k,
  b: 2000,
  ldb: transB ? k : n,
  c: 3000,
  ldc: n,
  m,
  n,
  k,
  transA,
  transB,
  accumulate: false,
});

describe('splitGemm', () => {
  it('splits the longer side of C into tile-aligned blocks that cover it exactly', () => {
    const rows = splitGemm(call(130, 20, 7), 2);
    expect(rows.map((p) => [p.m, p.n, (p.c - 3000) / 4, (p.a - 1000) / 4])).toEqual([
      [68, 20, 0, 0],
      [62, 20, 68 * 20, 68 * 7],
    ]);
    const columns = splitGemm(call(5, 30, 7, false, true), 3);
    expect(columns.map((p) => [p.m, p.n, (p.c - 3000) / 4, (p.b - 2000) / 4])).toEqual([
      [5, 16, 0, 0],
      [5, 14, 16, 16 * 7],
    ]);
    // A stored transposed: a block of rows of op(A) is a block of its columns.
    expect(splitGemm(call(64, 8, 3, true), 2).map((p) => (p.a - 1000) / 4)).toEqual([0, 32]);
  });
});

describe('createThreadedWasmBackend', () => {
  const backends: ThreadedWasmBackend[] = [];
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.dispose()));
  });

  // Three threads on a 2-core box oversubscribe it (slow, still correct): fewer shapes there.
  it.each([
    [2, 6],
    [3, 2],
  ])('gives results bit-identical to one thread with %i threads', (threads, shapeCount) => {
    const threaded = createThreadedWasmBackend({ threads, flavour: 'simd' });
    backends.push(threaded);
    const single = createWasmBackend({ flavour: 'simd' });
    expect(threaded.threads).toBe(threads);
    const rng = createRng(50 + threads);
    // Large enough to be split (2mnk >= 2^23), with every transpose variant and odd sizes; the
    // last splits 24 columns into 16 + 8, below the width where the plain build packs A
    // pre-broadcast, so the threads run another code path than the single call.
    const shapes = [[128, 64, 600], [600, 64, 128], [64, 600, 128], [131, 77, 500], [9, 1001, 501], [20, 24, 9000]] as const;
    for (const [m, n, k] of shapes.slice(0, shapeCount)) {
      for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = randomTensor(rng, transposeA ? [k, m] : [m, k]);
        const b = randomTensor(rng, transposeB ? [n, k] : [k, n]);
        const start = randomTensor(rng, [m, n]);
        for (const accumulate of [false, true]) {
          const options = { transposeA, transposeB, accumulate };
          const got = threaded.matmul(a, b, options, start.clone()).data;
          const expected = single.matmul(a, b, options, start.clone()).data;
          const firstDifference = got.findIndex((value, i) => !Object.is(value, expected[i]));
          expect(firstDifference, `${m}x${n}x${k} ${JSON.stringify(options)}`).toBe(-1);
        }
      }
    }
  });

  it('gives results bit-identical to one thread on operands in its shared memory', () => {
    const threaded = createThreadedWasmBackend({ threads: 2, flavour: 'simd' });
    backends.push(threaded);
    const single = createWasmBackend({ flavour: 'simd' });
    const rng = createRng(60);
    const resident = (t: Tensor): Tensor => {
      const r = threaded.zeros(t.shape);
      r.data.set(t.data);
      return r;
    };
    const [m, n, k] = [131, 77, 500];
    for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = randomTensor(rng, transposeA ? [k, m] : [m, k]);
      const b = randomTensor(rng, transposeB ? [n, k] : [k, n]);
      const start = randomTensor(rng, [m, n]);
      // A and B resident, C resident; then only B resident with a plain C.
      const [ra, rb, rc] = [resident(a), resident(b), resident(start)];
      for (const accumulate of [false, true]) {
        const options = { transposeA, transposeB, accumulate };
        const expected = single.matmul(a, b, options, start.clone()).data;
        rc.data.set(start.data);
        const all = threaded.matmul(ra, rb, options, rc).data;
        const mixed = threaded.matmul(a, rb, options, start.clone()).data;
        for (const [label, got] of [['resident', all], ['mixed', mixed]] as const) {
          const firstDifference = got.findIndex((value, i) => !Object.is(value, expected[i]));
          expect(firstDifference, `${label} ${JSON.stringify(options)}`).toBe(-1);
        }
      }
    }
    expect(threaded.sharedMemory).toBe(true);
    expect(threaded.zeros([1]).data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => createThreadedWasmBackend({ threads: 0 })).toThrow(
      new RangeError('createThreadedWasmBackend: threads must be an integer >= 1, got 0'),
    );
  });
});

describe('createNodeBackend', () => {
  it('picks the backend and thread count of a training config', async () => {
    expect(createNodeBackend('js', { threads: 4 }).name).toBe('js');
    const one = createNodeBackend('wasm', { threads: 1 });
    expect(one.name).toBe('wasm');
    expect(one.threads).toBe(1);
    const two = createNodeBackend('auto', { threads: 2 }) as ThreadedWasmBackend;
    expect(two.threads).toBe(2);
    const x = Tensor.from([1, 2], [1, 2]);
    expect([...two.matmul(x, Tensor.from([2, 1], [3, 4])).data]).toEqual([11]);
    await two.dispose();
    expect(() => createNodeBackend('auto', { threads: -1 })).toThrow(/threads must be 0 \(every core\) or an integer >= 1, got -1/);
  });
});
