/**
 * The slice of the WebAssembly JavaScript API the wasm backend uses, typed locally so the
 * package needs neither the DOM lib nor global declarations that could clash with a user's.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ readonly exports: unknown }>;
}

/** The WebAssembly global, or undefined where the runtime has none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

// Smallest modules using each feature, for WebAssembly.validate:
// (func (result v128) v128.const 0) and (func (param v128 v128 v128) (result v128) f32x4.relaxed_madd).
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const SIMD_PROBE = [
  ...HEADER,
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b],
  ...[0x03, 0x02, 0x01, 0x00],
  ...[0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b],
];
const RELAXED_SIMD_PROBE = [
  ...HEADER,
  ...[0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b],
  ...[0x03, 0x02, 0x01, 0x00],
  ...[0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b],
];

export interface WasmSupport {
  /** A WebAssembly runtime exists. */
  readonly webAssembly: boolean;
  /** 128-bit SIMD (needed by the wasm backend). */
  readonly simd: boolean;
  /** Relaxed SIMD (fused multiply-add); Node >= 22 by default, Node 20 with --experimental-wasm-relaxed-simd. */
  readonly relaxedSimd: boolean;
}

/** What this runtime's WebAssembly supports, probed with WebAssembly.validate on tiny modules. */
export function wasmSupport(): WasmSupport {
  const api = wasmApi();
  if (api === undefined) return { webAssembly: false, simd: false, relaxedSimd: false };
  const simd = api.validate(new Uint8Array(SIMD_PROBE));
  return { webAssembly: true, simd, relaxedSimd: simd && api.validate(new Uint8Array(RELAXED_SIMD_PROBE)) };
}
