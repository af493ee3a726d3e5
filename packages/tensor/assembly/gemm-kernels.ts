// The register-blocked micro-kernels of gemm.ts: each computes an MR×NR tile of C (4 rows × 8
// columns, 8 f32x4 accumulators) from a row block of op(A) and a packed NR-column panel of op(B)
// (pb[p·NR + j], see packB). They differ only in how the four A values of one p are read.

import { madd } from './lanes';

/** Stores the eight accumulators as rows of C (stride ldc floats), or adds them when `add`. */
function storeTile(
  c: usize, ldc: i32, add: bool,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  const stride = <usize>ldc << 2;
  const r1 = c + stride;
  const r2 = r1 + stride;
  const r3 = r2 + stride;
  if (add) {
    c00 = f32x4.add(v128.load(c), c00);
    c01 = f32x4.add(v128.load(c, 16), c01);
    c10 = f32x4.add(v128.load(r1), c10);
    c11 = f32x4.add(v128.load(r1, 16), c11);
    c20 = f32x4.add(v128.load(r2), c20);
    c21 = f32x4.add(v128.load(r2, 16), c21);
    c30 = f32x4.add(v128.load(r3), c30);
    c31 = f32x4.add(v128.load(r3, 16), c31);
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(r1, c10);
  v128.store(r1, c11, 16);
  v128.store(r2, c20);
  v128.store(r2, c21, 16);
  v128.store(r3, c30);
  v128.store(r3, c31, 16);
}

/**
 * tile[4, 8] = Σ_p a(p)[0..4) ⊗ pb[p, 0..8), written to C rows (stride ldc floats), or added
 * when `add`. A value (r, p) is the float at pa + r·ars + p·aps bytes: A read in place (row or
 * column major) or a packed panel (ars 4, aps 16); each is broadcast with a splat load.
 */
export function kernel4x8(pa: usize, ars: usize, aps: usize, pb: usize, kc: i32, c: usize, ldc: i32, add: bool): void {
  const ars2 = ars << 1;
  const ars3 = ars2 + ars;
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  const end = pb + (<usize>kc << 5);
  for (; pb < end; pb += 32) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa + ars);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa + ars2);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa + ars3);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += aps;
  }
  storeTile(c, ldc, add, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * kernel4x8 on a panel with at most four real columns: only its first four are computed, and
 * written (never added) to the four rows of `c` (stride ldc floats).
 */
export function kernel4x4(pa: usize, ars: usize, aps: usize, pb: usize, kc: i32, c: usize, ldc: i32): void {
  const ars2 = ars << 1;
  const ars3 = ars2 + ars;
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  const end = pb + (<usize>kc << 5);
  for (; pb < end; pb += 32) {
    const b = v128.load(pb);
    c0 = madd(v128.load32_splat(pa), b, c0);
    c1 = madd(v128.load32_splat(pa + ars), b, c1);
    c2 = madd(v128.load32_splat(pa + ars2), b, c2);
    c3 = madd(v128.load32_splat(pa + ars3), b, c3);
    pa += aps;
  }
  const stride = <usize>ldc << 2;
  v128.store(c, c0);
  v128.store(c + stride, c1);
  v128.store(c + 2 * stride, c2);
  v128.store(c + 3 * stride, c3);
}

/**
 * kernel4x8 on an A panel packed already broadcast (packABroadcast: pa[(p·4 + r)·4 + lane]).
 * Plain loads with constant offsets replace the splat loads, whose address V8 recomputes every
 * iteration: about 20% faster with plain SIMD, where the loop is instruction-bound.
 */
export function kernelBroadcast4x8(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, add: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  const end = pb + (<usize>kc << 5);
  for (; pb < end; pb += 32) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load(pa, 16);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load(pa, 32);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load(pa, 48);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 64;
  }
  storeTile(c, ldc, add, c00, c01, c10, c11, c20, c21, c30, c31);
}
