import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { randomTensor } from '../ops/test-helpers.js';
import { createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { createWasmBackend, loadWasmBackend, wasmBackendOn } from '../wasm-backend.js';
import { wasmApi } from './api.js';
import { compileKernels, instantiateKernels } from './kernels.js';
import { Workspace } from './workspace.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const isShared = (t: Tensor): boolean => t.data.buffer instanceof SharedArrayBuffer;

describe('wasm backend zeros()', () => {
  it('gives zero-filled float32 tensors in shared wasm memory and plain float64 ones', () => {
    const wasm = createWasmBackend({ flavour: 'simd' });
    expect(wasm.sharedMemory).toBe(true);
    const a = wasm.zeros([3, 5]);
    const b = wasm.zeros([7]);
    expect(a.shape).toEqual([3, 5]);
    expect(a.dtype).toBe('float32');
    expect(isShared(a)).toBe(true);
    expect(a.data.every((v) => v === 0) && b.data.every((v) => v === 0)).toBe(true);
    // Consecutive tensors never overlap and start on 64-byte boundaries.
    expect(b.data.byteOffset).toBeGreaterThanOrEqual(a.data.byteOffset + a.data.byteLength);
    expect([a.data.byteOffset % 64, b.data.byteOffset % 64]).toEqual([0, 0]);
    const double = wasm.zeros([4], 'float64');
    expect(double.dtype).toBe('float64');
    expect(isShared(double)).toBe(false);
    expect(double.data).toEqual(new Float64Array(4));
    expect(wasm.zeros([0, 3]).size).toBe(0);
  });

  it('zero-fills memory that earlier calls used as scratch', () => {
    const wasm = createWasmBackend({ flavour: 'simd' });
    const probe = wasm.zeros([1]);
    const ones = Tensor.from([1000], new Array<number>(1000).fill(1));
    wasm.scale(ones, 3);
    // The call's scratch (its copy of `ones`) starts right after `probe`, where zeros() goes next.
    const scratch = new Float32Array(probe.data.buffer, probe.data.byteOffset + 64, 1000);
    expect(scratch.every((v) => v === 1)).toBe(true);
    const fresh = wasm.zeros([1000]);
    expect(fresh.data.byteOffset).toBe(probe.data.byteOffset + 64);
    expect(fresh.data.every((v) => v === 0)).toBe(true);
  });

  it('keeps tensors made before memory grows readable and writable by kernels afterwards', () => {
    const wasm = createWasmBackend({ flavour: 'simd' });
    const js = createJsBackend();
    const rng = createRng(71);
    const w = wasm.zeros([50, 30]);
    w.data.set(randomTensor(rng, [50, 30]).data);
    const saved = w.clone();
    const bytes = wasm.workspaceBytes;
    // A large call and a large resident tensor both grow memory (and replace memory.buffer).
    wasm.matmul(randomTensor(rng, [2000, 50]), w);
    const later = wasm.zeros([300_000]);
    expect(wasm.workspaceBytes).toBeGreaterThan(bytes);
    expect(later.data.buffer).not.toBe(w.data.buffer);
    expect(w.data).toEqual(saved.data);
    // Written through the old view, read by a kernel; written by a kernel, read through the old view.
    w.data[0] = 5;
    const x = randomTensor(rng, [4, 50]);
    expect(wasm.matmul(x, w).data).toEqual(createWasmBackend({ flavour: 'simd', sharedMemory: false }).matmul(x, w.clone()).data);
    wasm.scale(w, 2, w);
    expect(w.data[0]).toBe(10);
    const sums = wasm.zeros([30]);
    wasm.sumRows(w, sums);
    expect(sums.data).toEqual(js.sumRows(w).data);
  });

  it('stops growing memory once a training loop has run with resident buffers', () => {
    const wasm = createWasmBackend({ flavour: 'simd' });
    const rng = createRng(72);
    const w = wasm.zeros([50, 30]);
    w.data.set(randomTensor(rng, [50, 30]).data);
    const b = wasm.zeros([30]);
    const [y, dw, db, dx] = [wasm.zeros([64, 30]), wasm.zeros([50, 30]), wasm.zeros([30]), wasm.zeros([64, 50])];
    const x = randomTensor(rng, [64, 50]);
    const step = (): void => {
      wasm.matmul(x, w, {}, y);
      wasm.addRowVector(y, b, y);
      wasm.leakyRelu(y, 0, y);
      wasm.matmul(x, y, { transposeA: true }, dw);
      wasm.sumRows(y, db);
      wasm.matmul(y, w, { transposeB: true }, dx);
      wasm.axpy(-0.01, dw, w);
      wasm.axpy(-0.01, db, b);
    };
    step();
    const bytes = wasm.workspaceBytes;
    for (let i = 0; i < 5; i++) step();
    expect(wasm.workspaceBytes).toBe(bytes);
    expect(Number.isFinite(wasm.sum(w))).toBe(true);
  });

  it('falls back to plain tensors when memory cannot grow further', () => {
    // A shared memory with a 4-page (256 KiB) maximum, which the shared build accepts.
    const memory = new (wasmApi()!.Memory)({ initial: 1, maximum: 4, shared: true });
    const compiled = compileKernels('simd', true);
    const wasm = wasmBackendOn(new Workspace(instantiateKernels(compiled, memory), true), 'simd');
    const small = wasm.zeros([1000]);
    expect(isShared(small)).toBe(true);
    const big = wasm.zeros([100_000]);
    expect(isShared(big)).toBe(false);
    expect(big.data.every((v) => v === 0)).toBe(true);
    // The failed attempt took nothing: the next tensor follows the first.
    const next = wasm.zeros([10]);
    expect(next.data.byteOffset).toBe(small.data.byteOffset + 4032);
    wasm.add(small, small, small);
    expect(wasm.workspaceBytes).toBeLessThanOrEqual(4 * 65536);
  });

  it('checks shapes like the JS backend', () => {
    const wasm = createWasmBackend();
    expect(() => wasm.zeros([3, 1.5])).toThrow(new RangeError('zeros: shape [3, 1.5] is invalid; every dimension must be an integer >= 0'));
  });
});

describe('wasm backend without shared memory', () => {
  it('uses its own memory and plain zeros() when asked to', () => {
    const wasm = createWasmBackend({ sharedMemory: false });
    expect(wasm.sharedMemory).toBe(false);
    const t = wasm.zeros([4]);
    expect(isShared(t)).toBe(false);
    t.data.set([1, -2, 3, -4]);
    expect([...wasm.scale(t, 2, t).data]).toEqual([2, -4, 6, -8]);
  });

  it('falls back to its own memory where SharedArrayBuffer is missing (no cross-origin isolation)', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const wasm = createWasmBackend();
    expect(wasm.sharedMemory).toBe(false);
    expect(wasm.zeros([2]).data.buffer.constructor).toBe(ArrayBuffer);
    expect([...wasm.add(Tensor.from([2], [1, 2]), Tensor.from([2], [3, 4])).data]).toEqual([4, 6]);
    expect((await loadWasmBackend()).sharedMemory).toBe(false);
    expect(() => createWasmBackend({ sharedMemory: true })).toThrow(
      /sharedMemory: true was requested but this runtime cannot create a shared WebAssembly.Memory/,
    );
  });

  it('falls back when constructing a shared memory throws', () => {
    const real = wasmApi()!;
    const Memory = function (descriptor: { shared?: boolean }) {
      if (descriptor.shared === true) throw new TypeError('shared memory is not allowed here');
      return new real.Memory(descriptor as { initial: number });
    };
    vi.stubGlobal('WebAssembly', Object.assign(Object.create(real) as object, { Memory }));
    expect(createWasmBackend().sharedMemory).toBe(false);
  });
});

describe('loadWasmBackend', () => {
  it('runs on shared memory too', async () => {
    const wasm = await loadWasmBackend({ flavour: 'simd' });
    expect(wasm.sharedMemory).toBe(true);
    const a = wasm.zeros([2, 2]);
    a.data.set([1, 2, 3, 4]);
    expect(isShared(a)).toBe(true);
    expect([...wasm.matmul(a, a).data]).toEqual([7, 10, 15, 22]);
  });
});

describe('wasm backend memory limit', () => {
  it('says what filled memory and what to do when a kernel cannot get its scratch', () => {
    // A shared memory with a 4-page (256 KiB) maximum: plain operands of 2 x 40,000 floats need 320 KiB of scratch.
    const memory = new (wasmApi()!.Memory)({ initial: 1, maximum: 4, shared: true });
    const small = wasmBackendOn(new Workspace(instantiateKernels(compileKernels('simd', true), memory), true), 'simd');
    const x = Tensor.zeros([40_000]);
    expect(() => small.add(x, x, Tensor.zeros([40_000]))).toThrow(
      /^wasm backend: memory is full: this call needs 0\.\d MiB of the backend's memory \(its resident tensors, then the call's operands and scratch\), which has 0\.\d MiB and cannot grow further\. Resident tensors .* are freed only with the backend: create them once per model and reuse them, build each new model on a new backend, or use smaller batches\.$/,
    );
    // Small calls still work afterwards.
    expect([...small.add(Tensor.from([2], [1, 2]), Tensor.from([2], [3, 4])).data]).toEqual([4, 6]);
  });
});
