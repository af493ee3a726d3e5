import type { FloatArray } from '../tensor.js';
import type { Workspace } from './workspace.js';

// Cheap number comparisons first: operands of one call usually differ in length.
const sameView = (p: FloatArray, q: FloatArray): boolean =>
  p === q || (p.length === q.length && p.byteOffset === q.byteOffset && p.buffer === q.buffer);

/**
 * Puts the float32 operands of one kernel call into wasm memory and returns their byte
 * pointers. A resident operand (a view into the workspace's memory: from zeros(), or a subarray
 * of one) is used where it lies; any other gets a scratch region from the workspace's scratch
 * start, copied in when the kernel reads it and copied back by finish() when it writes it.
 * Operands that are the same view get the same pointer, so an in-place call (out = x) stays in
 * place whether or not x is resident.
 *
 *   const s = staging.begin();
 *   const x = s.read(xData, n), out = s.write(outData, n);
 *   wasm.kernel(x, out, n);
 *   s.finish();
 *
 * One Staging is reused for every call (kernels are synchronous), so a call allocates nothing.
 */
export class Staging {
  private readonly workspace: Workspace;
  private readonly data: Array<FloatArray | undefined> = [];
  private readonly floats: number[] = [];
  private readonly at: number[] = [];
  private readonly copied: boolean[] = [];
  private readonly reads: boolean[] = [];
  private readonly writes: boolean[] = [];
  private count = 0;
  /** Next free scratch float. */
  private end = 0;

  constructor(workspace: Workspace) {
    this.workspace = workspace;
  }

  begin(): this {
    this.count = 0;
    this.end = this.workspace.scratchStart;
    return this;
  }

  /** An operand the kernel only reads. */
  read(data: FloatArray, floats: number): number {
    return this.add(data, floats, true, false);
  }

  /** An operand the kernel overwrites without reading. */
  write(data: FloatArray, floats: number): number {
    return this.add(data, floats, false, true);
  }

  /** An operand the kernel reads and writes (y of axpy, C of an accumulating gemm). */
  update(data: FloatArray, floats: number): number {
    return this.add(data, floats, true, true);
  }

  /**
   * The byte pointer of a resident byte array (from residentBytes, or a view of one), which a
   * kernel reads in place; undefined for any other, which this class does not copy in: a byte
   * operand is a whole data set, too large to copy per call.
   */
  residentBytes(data: Uint8Array): number | undefined {
    return this.workspace.holds(data) ? data.byteOffset : undefined;
  }

  /** `floats` of scratch for the kernel itself (e.g. gemm's packing buffers), 64-byte aligned. */
  scratch(floats: number): number {
    const at = this.end;
    this.end = this.workspace.reserveRegion(at, floats);
    return at * 4;
  }

  /** Copies the written operands that are not resident back out of wasm memory. */
  finish(): void {
    const heap = this.workspace.heap();
    for (let i = 0; i < this.count; i++) {
      if (this.copied[i]! && this.writes[i]!) {
        const at = this.at[i]! / 4;
        this.data[i]!.set(heap.subarray(at, at + this.floats[i]!));
      }
      this.data[i] = undefined; // hold no caller's array past the call
    }
    this.count = 0;
  }

  private add(data: FloatArray, floats: number, reads: boolean, writes: boolean): number {
    for (let i = 0; i < this.count; i++) {
      if (sameView(this.data[i]!, data)) {
        if (reads && !this.reads[i]!) this.copyIn(i);
        this.reads[i] = this.reads[i]! || reads;
        this.writes[i] = this.writes[i]! || writes;
        return this.at[i]!;
      }
    }
    const i = this.count++;
    this.data[i] = data;
    this.floats[i] = floats;
    this.reads[i] = reads;
    this.writes[i] = writes;
    const copied = !this.workspace.holds(data);
    this.copied[i] = copied;
    this.at[i] = copied ? this.scratch(floats) : data.byteOffset;
    if (reads) this.copyIn(i);
    return this.at[i];
  }

  private copyIn(i: number): void {
    if (!this.copied[i]!) return;
    const data = this.data[i]!;
    const floats = this.floats[i]!;
    // A subarray is a new object per call: skip it when the whole array is the operand.
    this.workspace.heap().set(data.length === floats ? data : data.subarray(0, floats), this.at[i]! / 4);
  }
}
