import { type Tensor, formatShape } from '../tensor.js';
import { describeTensor } from './checks.js';
import { defineFamily } from './family.js';

/**
 * The gather family: a batch made from rows of a byte data set in one pass. Data sets keep their
 * pixels as bytes (4x less memory than float32) until a batch is gathered; the batch is then
 * made here, converted to float32 on the way, through a table of what the 256 byte values
 * become (the plain values 0..255, or what elementwise preprocessing such as scale makes of
 * them), so gathering, converting and preprocessing cost one lookup per value.
 */

/** Entries of a byte table: one per byte value. */
export const BYTE_VALUES = 256;

/**
 * Rows of `rowLength` bytes at `indices` of `source` (sample-major), mapped through `table`:
 *   out[r · rowLength + j] = table[source[indices[r] · rowLength + j]]
 * for r < indices.length, j < rowLength. A lookup, so any function of one byte (computed once
 * per byte value into the table) costs the same as the plain conversion.
 */
export function gatherBytesKernel(source: Uint8Array, indices: Int32Array, table: Float32Array, out: Float32Array, rowLength: number): void {
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * rowLength;
    const to = r * rowLength;
    for (let j = 0; j < rowLength; j++) out[to + j] = table[source[from + j]!]!;
  }
}

export interface GatherKernels {
  gatherBytes: typeof gatherBytesKernel;
}

export interface GatherOps {
  /**
   * Gathers byte rows by index into a float32 batch `out` [rows, ...] (a 2-D view: rowLength =
   * out's columns), converting each byte v to table[v]:
   *   out[r, j] = table[source[indices[r] · rowLength + j]],   r < rows = indices.length
   * `table` holds 256 float32 values (Array.from({ length: 256 }, (_, v) => v) for the plain
   * conversion). `source` is read where it lies when it is resident (backend.residentBytes);
   * elsewhere the wasm backend gathers with the JS reference kernel, since copying a whole data
   * set into wasm memory per batch would cost far more than the gather. RangeError for an index
   * outside the source's rows, naming its row. Returns `out`.
   */
  gatherBytes(source: Uint8Array, indices: Int32Array, table: Float32Array, out: Tensor): Tensor;
}

/** The module's export this family binds (assembly/gather.ts). */
interface GatherExports {
  /** Returns the OR of bytes it touched ahead of converting them (see assembly/gather.ts), which nothing needs. */
  gatherBytes(source: number, indices: number, rows: number, rowLength: number, table: number, out: number): number;
}

export const gatherFamily = defineFamily<GatherKernels, GatherOps>({
  name: 'gather',
  reference: { gatherBytes: gatherBytesKernel },
  wasm: ({ exports, staging }, reference) => {
    const wasm = exports as GatherExports;
    // The indices travel as the bits of i32s through a float view of one Int32Array (a
    // same-type set() copies bits verbatim), as softmaxCrossEntropy's labels do.
    let ints = new Int32Array(0);
    let bits = new Float32Array(0);
    return {
      gatherBytes(source, indices, table, out, rowLength) {
        const at = staging.residentBytes(source);
        if (at === undefined) return reference.gatherBytes(source, indices, table, out, rowLength);
        const rows = indices.length;
        if (ints.length !== rows) {
          ints = new Int32Array(rows);
          bits = new Float32Array(ints.buffer);
        }
        ints.set(indices);
        const s = staging.begin();
        wasm.gatherBytes(at, s.read(bits, rows), rows, rowLength, s.read(table, BYTE_VALUES), s.write(out, rows * rowLength));
        s.finish();
      },
    };
  },
  methods: (kernels) => ({
    gatherBytes(source, indices, table, out) {
      const kernel = 'gatherBytes';
      if (out.dtype !== 'float32') {
        throw new RangeError(`${kernel}: out is ${describeTensor(out)}; byte rows gather into a float32 batch (convert the batch afterwards)`);
      }
      if (table.length !== BYTE_VALUES) {
        throw new RangeError(`${kernel}: the table has ${table.length} values; it needs one per byte value (${BYTE_VALUES})`);
      }
      const { rows, columns } = out;
      if (indices.length !== rows) {
        throw new RangeError(`${kernel}: out is ${formatShape(out.shape)} (${rows} rows) but ${indices.length} indices were given; pass one index per row`);
      }
      // Rows of no bytes read nothing, whatever their index.
      const count = columns === 0 ? Infinity : Math.floor(source.length / columns);
      for (let r = 0; r < rows; r++) {
        const index = indices[r]!;
        if (!(index >= 0 && index < count)) {
          throw new RangeError(
            `${kernel}: index ${index} of row ${r} is outside the source's ${count} rows of ${columns} bytes (${source.length} bytes)`,
          );
        }
      }
      kernels.gatherBytes(source, indices, table, out.data as Float32Array, columns);
      return out;
    },
  }),
});
