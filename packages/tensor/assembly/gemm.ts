/**
 * C[m, n] (+)= op(A)·op(B) in f32, BLIS-style: op(B) is packed into NR-column panels of KC rows,
 * and a register-blocked MR×NR micro-kernel (gemm-kernels.ts) walks each B panel against MR rows
 * of op(A). op(A) is read in place with broadcast loads (a transpose only swaps two strides), so
 * it is packed only where that pays: a last partial row panel (zero padding), a transposed A
 * whose stride aliases in cache, and, with plain SIMD on wide C, a pre-broadcast copy that makes
 * the instruction-bound loop cheaper. All pointers are byte offsets into this module's memory.
 *
 * Blocking: a packed B block (KC × NC floats, 512 KiB) stays in L2, the A rows of an MC block
 * (MC × KC, 64 KiB; 256 KiB broadcast) in L1/L2, and a B micro-panel (KC × NR, 8 KiB) in L1
 * across the MR loop.
 */

import { kernel4x4, kernel4x8, kernelBroadcast4x8 } from './gemm-kernels';
import { packA, packABroadcast, packB } from './gemm-pack';
import { MR, NR } from './gemm-tile';

const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 512;

/**
 * Whether op(A) is packed pre-broadcast: with plain SIMD (no gain with relaxed FMA, which is
 * already FMA-bound) and only when more than two B panels reuse the copy.
 */
function broadcastA(n: i32): bool {
  return !RELAXED && n > 2 * NR;
}

function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/** Floats of scratch `gemm` needs for these sizes: packed A (block or edge panel), packed B block, one tile. */
export function gemmScratchFloats(m: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  return (broadcastA(n) ? 4 : 1) * roundUp(min(m, MC), MR) * kc + roundUp(min(n, NC), NR) * kc + MR * NR;
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
  const broadcast = broadcastA(n);
  const packedA = scratch;
  const packedB = packedA + (<usize>((broadcast ? 4 : 1) * roundUp(min(m, MC), MR) * kcMax) << 2);
  const tile = packedB + (<usize>(roundUp(min(n, NC), NR) * kcMax) << 2);
  // Read in place, A value (r, p) of a row panel is r·ars + p·aps bytes past the panel start.
  const ars: usize = transA ? 4 : <usize>lda << 2;
  const aps: usize = transA ? <usize>lda << 2 : 4;
  // Except a transposed A whose stride maps its rows to few cache sets (lda = 512 floats: two
  // of L1's 64), re-read from L2 or beyond for every B panel; a copy is cheaper if reused.
  const packAll = !broadcast && transA && lda % 32 == 0 && n > 2 * NR;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      packB(b, transB, ldb, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const whole = mc - mc % MR;
        if (broadcast) packABroadcast(a, transA, lda, ic, pc, mc, kc, packedA);
        else if (packAll) packA(a, transA, lda, ic, pc, mc, kc, packedA);
        else if (whole < mc) packA(a, transA, lda, ic + whole, pc, mc - whole, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = packedB + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const row0 = ic + ir;
            const cTile = c + (<usize>(row0 * ldc + jc + jr) << 2);
            // Whole tiles go straight to C; edge tiles through `tile`, then their real part.
            const direct = rows == MR && cols == NR;
            const out = direct ? cTile : tile;
            const ldo = direct ? ldc : NR;
            if (broadcast) {
              kernelBroadcast4x8(packedA + (<usize>(ir * kc) << 4), pb, kc, out, ldo, direct && add);
            } else {
              const inPlace = rows == MR && !packAll;
              const pa = inPlace
                ? a + (<usize>(transA ? pc * lda + row0 : row0 * lda + pc) << 2)
                : packedA + (packAll ? <usize>(ir * kc) << 2 : 0);
              const rs = inPlace ? ars : 4;
              const ps = inPlace ? aps : <usize>MR << 2;
              if (cols <= 4) kernel4x4(pa, rs, ps, pb, kc, tile, NR);
              else kernel4x8(pa, rs, ps, pb, kc, out, ldo, direct && add);
            }
            if (!direct) storeEdge(tile, cTile, ldc, rows, cols, add);
          }
        }
      }
    }
  }
}
