
/**
 * C[m, n] (+)= op(A)·op(B) in f32, BLIS-style: op(B) is packed into NR-column panels of KC rows,
 * op(A) into MR-row panels, and a register-blocked MR×NR micro-kernel walks each pair of panels.
 * Packing turns every transpose variant into the same contiguous access pattern, so one
 * micro-kernel serves all four. All pointers are byte offsets into this module's memory.
 *
 * Blocking: a packed B block (KC × NC floats, 512 KiB) stays in L2, a packed A block
 * (MC × KC, 64 KiB) in L1/L2, and a B micro-panel (KC × NR, 8 KiB) in L1 across the MR loop.
 */

// RELAXED is a compile-time constant (`asc --use RELAXED=0|1`): the build emits one module with
// relaxed-SIMD fused multiply-add and one with plain SIMD; the untaken branch is never compiled.

/** a·b + c on four f32 lanes (one rounding with relaxed FMA, two otherwise). */
function madd(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

export const MR: i32 = 4;
export const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 512;

function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/** Floats of scratch `gemm` needs for these sizes: packed A block, packed B block, one tile. */
export function gemmScratchFloats(m: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  return roundUp(min(m, MC), MR) * kc + roundUp(min(n, NC), NR) * kc + MR * NR;
}

/**
 * Packs rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) into panels of NR columns:
 * dst[(panel·kc + p)·NR + j]; columns past nc are zero. B's stored rows are ldb floats apart.
 */
function packB(b: usize, transB: bool, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const col0 = jc + jp;
    const panel = dst + (<usize>(jp * kc) << 2);
    if (!transB && cols == NR) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>((pc + p) * ldb + col0) << 2);
        const out = panel + (<usize>(p * NR) << 2);
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const out = panel + (<usize>(p * NR) << 2);
      for (let j = 0; j < NR; j++) {
        let value: f32 = 0;
        if (j < cols) {
          const index = transB ? (col0 + j) * ldb + pc + p : (pc + p) * ldb + col0 + j;
          value = load<f32>(b + (<usize>index << 2));
        }
        store<f32>(out + (<usize>j << 2), value);
      }
    }
  }
}

/**
 * Packs rows [ic, ic+mc) × columns [pc, pc+kc) of op(A) into panels of MR rows:
 * dst[(panel·kc + p)·MR + r]; rows past mc are zero. A's stored rows are lda floats apart.
 */
function packA(a: usize, transA: bool, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize): void {
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
    if (!transA && rows == MR) {
      // Four rows of A, four columns at a time, transposed in registers.
      const r0 = a + (<usize>(row0 * lda + pc) << 2);
      const stride = <usize>lda << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const src = r0 + (<usize>p << 2);
        const x0 = v128.load(src);
        const x1 = v128.load(src + stride);
        const x2 = v128.load(src + 2 * stride);
        const x3 = v128.load(src + 3 * stride);
        const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const out = panel + (<usize>(p * MR) << 2);
        v128.store(out, i64x2.shuffle(t0, t2, 0, 2));
        v128.store(out, i64x2.shuffle(t0, t2, 1, 3), 16);
        v128.store(out, i64x2.shuffle(t1, t3, 0, 2), 32);
        v128.store(out, i64x2.shuffle(t1, t3, 1, 3), 48);
      }
      for (; p < kc; p++) {
        const src = r0 + (<usize>p << 2);
        const out = panel + (<usize>(p * MR) << 2);
        store<f32>(out, load<f32>(src));
        store<f32>(out, load<f32>(src + stride), 4);
        store<f32>(out, load<f32>(src + 2 * stride), 8);
        store<f32>(out, load<f32>(src + 3 * stride), 12);
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const out = panel + (<usize>(p * MR) << 2);
      for (let r = 0; r < MR; r++) {
        let value: f32 = 0;
        if (r < rows) {
          const index = transA ? (pc + p) * lda + row0 + r : (row0 + r) * lda + pc + p;
          value = load<f32>(a + (<usize>index << 2));
        }
        store<f32>(out + (<usize>r << 2), value);
      }
    }
  }
}

/**
 * The MR×NR micro-kernel: tile = Σ_p a[p, 0..MR) ⊗ b[p, 0..NR) over one packed panel pair, then
 * C rows (stride ldc floats) = tile, or C += tile when `add`.
 */
function kernel4x8(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, add: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
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

/** Writes (or adds) the top-left rows × cols of an MR×NR tile into C. */
function storeEdge(tile: usize, c: usize, ldc: i32, rows: i32, cols: i32, add: bool): void {
  for (let r = 0; r < rows; r++) {
    const src = tile + (<usize>(r * NR) << 2);
    const dst = c + (<usize>(r * ldc) << 2);
    for (let j = 0; j < cols; j++) {
      const at = dst + (<usize>j << 2);
      const value = load<f32>(src + (<usize>j << 2));
      store<f32>(at, add ? load<f32>(at) + value : value);
    }
  }
}

/**
 * C[m, n] (+)= op(A)·op(B) with inner dimension k, on row-major matrices whose stored rows are
 * lda, ldb and ldc floats apart: A is stored [m, k] ([k, m] when transA), B [k, n] ([n, k] when
 * transB). Leading dimensions let a caller hand a block of rows or columns of C to another
 * thread. `scratch` holds gemmScratchFloats(m, n, k) floats; C must not overlap A, B or scratch.
 *
 * Each C value sums its k products in the same order whatever the blocking or the sub-block it
 * is computed in, so splitting C between threads gives bit-identical results.
 */
export function gemm(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  m: i32, n: i32, k: i32, transA: bool, transB: bool, accumulate: bool, scratch: usize,
): void {
  if (k == 0) {
    if (!accumulate) {
      for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    }
    return;
  }
  const kcMax = min(k, KC);
  const packedA = scratch;
  const packedB = packedA + (<usize>(roundUp(min(m, MC), MR) * kcMax) << 2);
  const tile = packedB + (<usize>(roundUp(min(n, NC), NR) * kcMax) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      packB(b, transB, ldb, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, transA, lda, ic, pc, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = packedB + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = packedA + (<usize>(ir * kc) << 2);
            const cTile = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            if (rows == MR && cols == NR) {
              kernel4x8(pa, pb, kc, cTile, ldc, add);
            } else {
              kernel4x8(pa, pb, kc, tile, NR, false);
              storeEdge(tile, cTile, ldc, rows, cols, add);
            }
          }
        }
      }
    }
  }
}
