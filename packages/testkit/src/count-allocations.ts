// How many bytes of typed arrays and ArrayBuffers a piece of code allocates: for the fuzz tests of
// file readers, which must never allocate more than the file justifies.
//
// The global constructors are swapped for counting proxies while `run` executes. That sees every
// `new Float32Array(n)`, `new Uint8Array(bytes)` and `Float32Array.from(...)` in the loaders,
// which is where they allocate, deterministically (unlike heap statistics, which depend on when
// the garbage collector runs). It does not see allocations inside Node's own modules (zlib's
// stream chunks, Buffer pools), which captured the constructors at startup, nor `slice()`/`map()`
// copies (they construct through the species of the original class): count those by hand.

const CONSTRUCTORS = [
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

type Name = (typeof CONSTRUCTORS)[number];

// Captured before any swap, so the check below never goes through a proxy.
const BUFFER_TYPES = [ArrayBuffer, SharedArrayBuffer];

/** A view over an existing buffer allocates nothing. */
const isView = (args: readonly unknown[]): boolean => BUFFER_TYPES.some((type) => args[0] instanceof type);

/** Runs `run` and returns its outcome and the bytes of typed arrays/ArrayBuffers it constructed. */
export async function countAllocations<T>(run: () => Promise<T> | T): Promise<{ bytes: number; value?: T; error?: unknown }> {
  const globals = globalThis as unknown as Record<Name, new (...args: unknown[]) => ArrayBufferLike | ArrayBufferView>;
  const originals = new Map<Name, (typeof globals)[Name]>();
  let bytes = 0;
  for (const name of CONSTRUCTORS) {
    const original = globals[name];
    originals.set(name, original);
    globals[name] = new Proxy(original, {
      construct(target, args: unknown[], newTarget) {
        const created = Reflect.construct(target, args, newTarget === globals[name] ? target : newTarget) as ArrayBufferLike | ArrayBufferView;
        if (name === 'ArrayBuffer') bytes += (created as ArrayBuffer).byteLength;
        else if (!isView(args)) bytes += (created as ArrayBufferView).byteLength;
        return created;
      },
    });
  }
  try {
    const value = await run();
    return { bytes, value };
  } catch (error) {
    return { bytes, error };
  } finally {
    for (const [name, original] of originals) globals[name] = original;
  }
}
