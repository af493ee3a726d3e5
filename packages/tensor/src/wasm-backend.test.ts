import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.js';
import { createJsBackend } from './js-backend.js';
import { randomTensor } from './ops/test-helpers.js';
import { createRng } from './rng.js';
import { Tensor } from './tensor.js';
import { createWasmBackend, loadWasmBackend } from './wasm-backend.js';

/** One dense-layer training step's kernel calls, with reused outputs, as a layer would make them. */
function step(backend: Backend, x: Tensor, w: Tensor, b: Tensor, buffers: { y: Tensor; dw: Tensor; db: Tensor; dx: Tensor }): void {
  backend.matmul(x, w, {}, buffers.y);
  backend.addRowVector(buffers.y, b, buffers.y);
  backend.leakyRelu(buffers.y, 0, buffers.y);
  backend.leakyReluBackward(buffers.y, 0, buffers.y, buffers.y);
  backend.matmul(x, buffers.y, { transposeA: true }, buffers.dw);
  backend.sumRows(buffers.y, buffers.db);
  backend.matmul(buffers.y, w, { transposeB: true }, buffers.dx);
  backend.axpy(-0.1, buffers.dw, w);
}

function buffersFor(rows: number, inputs: number, units: number) {
  return { y: Tensor.zeros([rows, units]), dw: Tensor.zeros([inputs, units]), db: Tensor.zeros([units]), dx: Tensor.zeros([rows, inputs]) };
}

describe('createWasmBackend', () => {
  it('is named wasm, reports its build and implements every Backend kernel', () => {
    const wasm = createWasmBackend();
    expect(wasm.name).toBe('wasm');
    expect(['simd', 'relaxed-simd']).toContain(wasm.flavour);
    for (const [name, kernel] of Object.entries(createJsBackend())) {
      expect(typeof (wasm as unknown as Record<string, unknown>)[name], name).toBe(typeof kernel);
    }
  });

  it('grows its memory only when shapes grow', () => {
    const wasm = createWasmBackend({ flavour: 'simd' });
    const rng = createRng(41);
    const [inputs, units] = [50, 30];
    const w = randomTensor(rng, [inputs, units]);
    const b = randomTensor(rng, [units]);
    const big = randomTensor(rng, [64, inputs]);
    const probe = randomTensor(rng, [inputs, units]);
    const before = wasm.matmul(big, probe);
    step(wasm, big, w, b, buffersFor(64, inputs, units));
    const afterFirst = wasm.workspaceBytes;
    expect(afterFirst).toBeGreaterThan(0);
    // Same and smaller batches (a last partial batch) reuse the memory.
    for (const rows of [64, 64, 17, 1, 64]) {
      const x = randomTensor(rng, [rows, inputs]);
      step(wasm, x, w, b, buffersFor(rows, inputs, units));
    }
    expect(wasm.workspaceBytes).toBe(afterFirst);
    // A larger batch grows it; results stay the same after the old memory views are detached.
    const huge = randomTensor(rng, [4096, inputs]);
    step(wasm, huge, w, b, buffersFor(4096, inputs, units));
    expect(wasm.workspaceBytes).toBeGreaterThan(afterFirst);
    expect(wasm.matmul(big, probe).data).toEqual(before.data);
  });

  it('throws the JS backend messages for bad arguments', () => {
    const wasm = createWasmBackend();
    const js = createJsBackend();
    const cases: Array<(backend: Backend) => unknown> = [
      (backend) => backend.matmul(Tensor.zeros([3, 4]), Tensor.zeros([5, 2])),
      (backend) => backend.matmul(Tensor.zeros([3, 4]), Tensor.zeros([4, 2]), {}, Tensor.zeros([2, 2])),
      (backend) => backend.matmul(Tensor.zeros([2, 2]), Tensor.zeros([2, 2], 'float64')),
      (backend) => {
        const a = Tensor.zeros([2, 2]);
        return backend.matmul(a, Tensor.zeros([2, 2]), {}, a);
      },
      (backend) => backend.addRowVector(Tensor.zeros([2, 3]), Tensor.zeros([2])),
      (backend) => backend.add(Tensor.zeros([3]), Tensor.zeros([4])),
      (backend) => backend.leakyReluBackward(Tensor.zeros([3]), 0, Tensor.zeros([4])),
      (backend) => {
        const x = Tensor.zeros([8]);
        return backend.scale(x, 2, new Tensor([4], x.data.subarray(2, 6)));
      },
    ];
    for (const call of cases) {
      let expected: unknown;
      try {
        call(js);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(RangeError);
      expect(() => call(wasm)).toThrow(expected as Error);
    }
  });

  it('keeps each backend instance independent', () => {
    const one = createWasmBackend();
    const two = createWasmBackend();
    one.matmul(Tensor.zeros([300, 200]), Tensor.zeros([200, 100]));
    expect(two.workspaceBytes).toBeLessThan(one.workspaceBytes);
  });
});

describe('loadWasmBackend', () => {
  it('compiles asynchronously and computes like the synchronous backend', async () => {
    const loaded = await loadWasmBackend({ flavour: 'simd' });
    const direct = createWasmBackend({ flavour: 'simd' });
    const rng = createRng(42);
    const a = randomTensor(rng, [13, 21]);
    const b = randomTensor(rng, [21, 9]);
    expect(loaded.name).toBe('wasm');
    expect(loaded.matmul(a, b).data).toEqual(direct.matmul(a, b).data);
  });
});
