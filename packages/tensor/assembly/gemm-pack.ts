// Packing for gemm.ts: copies a block of op(B) (or op(A)) into the contiguous layout the
// micro-kernels of gemm-kernels.ts walk. All pointers are byte offsets into this module's memory.

import { MR, NR } from './gemm-tile';

/**
 * Reads four floats from each of four rows (src, src + stride, ...) and stores the transposed
 * 4×4 block as four vectors `step` bytes apart: out + q·step holds element q of every row.
 */
function storeTransposed(src: usize, stride: usize, out: usize, step: usize): void {
  const x0 = v128.load(src);
  const x1 = v128.load(src + stride);
  const x2 = v128.load(src + 2 * stride);
  const x3 = v128.load(src + 3 * stride);
  const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
  v128.store(out, i64x2.shuffle(t0, t2, 0, 2));
  v128.store(out + step, i64x2.shuffle(t0, t2, 1, 3));
  v128.store(out + 2 * step, i64x2.shuffle(t1, t3, 0, 2));
  v128.store(out + 3 * step, i64x2.shuffle(t1, t3, 1, 3));
}

/**
 * op(M)(row, col) for a matrix M whose stored rows are ld floats apart (op(M) = Mᵀ when
 * `trans`), or 0 when `inside` is false: the element-by-element path every packer takes for
 * edge panels.
 */
function opAt(m: usize, trans: bool, ld: i32, row: i32, col: i32, inside: bool): f32 {
  if (!inside) return 0;
  return load<f32>(m + (<usize>(trans ? col * ld + row : row * ld + col) << 2));
}

/**
 * Packs rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) into panels of NR columns:
 * dst[(panel·kc + p)·NR + j]; columns past nc are zero. B's stored rows are ldb floats apart.
 */
export function packB(b: usize, transB: bool, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const col0 = jc + jp;
    const panel = dst + (<usize>(jp * kc) << 2);
    if (cols == NR && !transB) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>((pc + p) * ldb + col0) << 2);
        const out = panel + (<usize>(p * NR) << 2);
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
      continue;
    }
    if (cols == NR) {
      // op(B)(p, j) = B[j, p]: eight rows of B, four p at a time, transposed in registers.
      const r0 = b + (<usize>(col0 * ldb + pc) << 2);
      const stride = <usize>ldb << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const src = r0 + (<usize>p << 2);
        const out = panel + (<usize>(p * NR) << 2);
        storeTransposed(src, stride, out, NR << 2);
        storeTransposed(src + 4 * stride, stride, out + 16, NR << 2);
      }
      for (; p < kc; p++) {
        const src = r0 + (<usize>p << 2);
        const out = panel + (<usize>(p * NR) << 2);
        for (let j = 0; j < NR; j++) store<f32>(out + (<usize>j << 2), load<f32>(src + <usize>j * stride));
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const out = panel + (<usize>(p * NR) << 2);
      for (let j = 0; j < NR; j++) store<f32>(out + (<usize>j << 2), opAt(b, transB, ldb, pc + p, col0 + j, j < cols));
    }
  }
}

/**
 * Packs rows [ic, ic+mc) × columns [pc, pc+kc) of op(A) into panels of MR rows:
 * dst[(panel·kc + p)·MR + r]; rows past mc are zero. A's stored rows are lda floats apart.
 * Needed only for a last partial panel and for transposed A with an aliasing stride, so the
 * only fast path is the transposed one.
 */
export function packA(a: usize, transA: bool, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const row0 = ic + ip;
    const panel = dst + (<usize>(ip * kc) << 2);
    if (transA && rows == MR) {
      // op(A)(i, p) = A[p, i]: the MR values of one p are contiguous.
      for (let p = 0; p < kc; p++) {
        v128.store(panel + (<usize>(p * MR) << 2), v128.load(a + (<usize>((pc + p) * lda + row0) << 2)));
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const out = panel + (<usize>(p * MR) << 2);
      for (let r = 0; r < MR; r++) store<f32>(out + (<usize>r << 2), opAt(a, transA, lda, row0 + r, pc + p, r < rows));
    }
  }
}

/**
 * Packs rows [ic, ic+mc) × columns [pc, pc+kc) of op(A) into panels of MR rows with every value
 * broadcast to four lanes: dst[((panel·kc + p)·MR + r)·4 + lane]; rows past mc are zero.
 */
export function packABroadcast(a: usize, transA: bool, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const row0 = ic + ip;
    const panel = dst + (<usize>(ip * kc) << 4);
    if (transA && rows == MR) {
      // op(A)(i, p) = A[p, i]: the MR values of one p are contiguous.
      for (let p = 0; p < kc; p++) {
        const x = v128.load(a + (<usize>((pc + p) * lda + row0) << 2));
        const out = panel + (<usize>(p * MR) << 4);
        v128.store(out, i32x4.shuffle(x, x, 0, 0, 0, 0));
        v128.store(out, i32x4.shuffle(x, x, 1, 1, 1, 1), 16);
        v128.store(out, i32x4.shuffle(x, x, 2, 2, 2, 2), 32);
        v128.store(out, i32x4.shuffle(x, x, 3, 3, 3, 3), 48);
      }
      continue;
    }
    if (!transA && rows == MR) {
      const r0 = a + (<usize>(row0 * lda + pc) << 2);
      const stride = <usize>lda << 2;
      for (let p = 0; p < kc; p++) {
        const src = r0 + (<usize>p << 2);
        const out = panel + (<usize>(p * MR) << 4);
        v128.store(out, v128.load32_splat(src));
        v128.store(out, v128.load32_splat(src + stride), 16);
        v128.store(out, v128.load32_splat(src + 2 * stride), 32);
        v128.store(out, v128.load32_splat(src + 3 * stride), 48);
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const out = panel + (<usize>(p * MR) << 4);
      for (let r = 0; r < MR; r++) v128.store(out + (<usize>r << 4), f32x4.splat(opAt(a, transA, lda, row0 + r, pc + p, r < rows)));
    }
  }
}
