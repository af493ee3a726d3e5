import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BackendKind, createBackend } from './create-backend.js';
import { wasmSupport } from './wasm/api.js';
import { createWasmBackend } from './wasm-backend.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The real WebAssembly global with another validate (its own properties are not enumerable). */
function fakeWebAssembly(validate: (bytes: Uint8Array) => boolean): object {
  const real = (globalThis as { WebAssembly?: object }).WebAssembly;
  return Object.assign(Object.create(real ?? null) as object, { validate });
}

/** A runtime without SIMD: it validates nothing. */
const withoutSimd = fakeWebAssembly(() => false);

describe('wasmSupport', () => {
  it('finds SIMD on this Node and nothing without WebAssembly', () => {
    expect(wasmSupport().simd).toBe(true);
    vi.stubGlobal('WebAssembly', undefined);
    expect(wasmSupport()).toEqual({ webAssembly: false, simd: false, relaxedSimd: false });
    vi.stubGlobal('WebAssembly', withoutSimd);
    expect(wasmSupport()).toEqual({ webAssembly: true, simd: false, relaxedSimd: false });
  });
});

describe('createBackend', () => {
  it("gives the JS reference for 'js' and wasm for 'auto' and 'wasm' where SIMD exists", () => {
    expect(createBackend('js').name).toBe('js');
    expect(createBackend('wasm').name).toBe('wasm');
    expect(createBackend('auto').name).toBe('wasm');
    expect(createBackend().name).toBe('wasm');
  });

  it("falls back to js for 'auto' and explains the problem for 'wasm' without SIMD", () => {
    vi.stubGlobal('WebAssembly', withoutSimd);
    expect(createBackend('auto').name).toBe('js');
    expect(() => createBackend('wasm')).toThrow(
      "wasm backend: this JavaScript runtime has WebAssembly without SIMD; the wasm backend needs WebAssembly SIMD (Node >= 16.4, current browsers). Use backend 'js' or 'auto' instead.",
    );
    vi.stubGlobal('WebAssembly', undefined);
    expect(createBackend('auto').name).toBe('js');
    expect(() => createBackend('wasm')).toThrow(/this JavaScript runtime has no WebAssembly;/);
  });

  it('rejects an unknown kind', () => {
    expect(() => createBackend('gpu' as BackendKind)).toThrow(
      new RangeError(`createBackend: unknown backend kind "gpu"; expected 'auto', 'js' or 'wasm'`),
    );
  });

  it('refuses relaxed SIMD where the runtime does not validate it', () => {
    // Node 20 without the flag: everything validates except the relaxed SIMD probe.
    vi.stubGlobal('WebAssembly', fakeWebAssembly((bytes) => !bytes.includes(0x85)));
    expect(() => createWasmBackend({ flavour: 'relaxed-simd' })).toThrow(
      /flavour 'relaxed-simd' was requested but this runtime does not validate relaxed SIMD/,
    );
    expect(createWasmBackend().flavour).toBe('simd');
  });
});
