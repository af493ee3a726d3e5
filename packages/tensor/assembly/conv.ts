/**
 * 2-D convolution over NCHW float32 images as GEMMs (the conv family: src/ops/conv.ts has the
 * formula and the JS reference). Per sample b, with s = oh·ow and ckk = c·kh·kw:
 *
 *   forward       y[b] [f, s]    = w [f, ckk] · col(x[b]) [ckk, s] + bias      (im2col, gemm)
 *   input grad    dx[b]          = col2im(wᵀ [ckk, f] · dy[b] [f, s])          (gemm, col2im)
 *   weight grad   dw [f, ckk]    = Σ_b dy[b] [f, s] · col(x[b])ᵀ [s, ckk]       (im2col, gemm)
 *
 * col(x[b]) row (ch·kh + p)·kw + q holds x[b, ch, i·sh − pt + p·dh, j·sw − pl + q·dw] over
 * output positions (i, j), zero where that falls in the padding. A 1×1 kernel with stride 1 and
 * no padding reads x[b] itself as the column matrix. The output y[b] [f, s] is already NCHW.
 *
 * Work is split by whole samples ([b0, b1) per call), so threads can take sample ranges and each
 * sample's result is computed the same way whoever computes it. The weight gradient is summed
 * per shard of samples (a fixed partition of the batch, see conv2dShardRange) into partial
 * buffers that conv2dReduceShards adds in a fixed order: identical results for any thread count.
 */
import { conv2dDirectBackwardWeight, conv2dDirectScratchFloats } from './conv-direct';
import { gemm, gemmScratchFloats } from './gemm';

/** Weight-gradient shards of a batch; fixed, so results do not depend on the thread count. */
export const CONV_SHARDS: i32 = 4;

function roundUp16(x: i32): i32 {
  return ((x + 15) >> 4) << 4;
}

/** Whether the column matrix is x[b] itself (1×1 kernel, stride 1, no padding). */
function isPointwise(kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, h: i32, w: i32, oh: i32, ow: i32): bool {
  return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w;
}

/**
 * Floats of scratch one thread needs for any conv2d kernel of these sizes: a column matrix and
 * gemm's scratch, or the direct kernels' padded planes (assembly/conv-direct.ts).
 */
export function conv2dScratchFloats(c: i32, f: i32, oh: i32, ow: i32, kh: i32, kw: i32): i32 {
  const ckk = c * kh * kw;
  const s = oh * ow;
  const g = max(gemmScratchFloats(f, s, ckk), max(gemmScratchFloats(ckk, s, f), gemmScratchFloats(f, ckk, s)));
  return max(roundUp16(ckk * s) + roundUp16(g), roundUp16(conv2dDirectScratchFloats(c, oh, ow, kh, kw)));
}

/**
 * The output columns [first, end) whose input column j·sw + offset lies inside [0, w); the
 * others read the zero padding. `offset` is a kernel column's q·dw − pl.
 */
function firstInside(offset: i32, sw: i32, ow: i32): i32 {
  return offset >= 0 ? 0 : min(ow, (-offset + sw - 1) / sw);
}

/** See firstInside. */
function endInside(first: i32, offset: i32, sw: i32, w: i32, ow: i32): i32 {
  return max(first, min(ow, (w - offset + sw - 1) / sw));
}

/** Writes the column matrix of one sample (x points at it) into col [ckk, oh·ow]. */
function im2col(
  x: usize, col: usize, c: i32, h: i32, w: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32,
): void {
  let dst = col;
  for (let ch = 0; ch < c; ch++) {
    const plane = x + (<usize>(ch * h * w) << 2);
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        const dx = q * dw - pl;
        const j0 = firstInside(dx, sw, ow);
        const j1 = endInside(j0, dx, sw, w, ow);
        for (let i = 0; i < oh; i++) {
          const y = i * sh - pt + p * dh;
          if (y < 0 || y >= h) {
            memory.fill(dst, 0, <usize>ow << 2);
          } else {
            const src = plane + (<usize>(y * w + dx) << 2);
            if (j0 > 0) memory.fill(dst, 0, <usize>j0 << 2);
            if (sw == 1) {
              memory.copy(dst + (<usize>j0 << 2), src + (<usize>j0 << 2), <usize>(j1 - j0) << 2);
            } else {
              for (let j = j0; j < j1; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>(j * sw) << 2)));
            }
            if (j1 < ow) memory.fill(dst + (<usize>j1 << 2), 0, <usize>(ow - j1) << 2);
          }
          dst += <usize>ow << 2;
        }
      }
    }
  }
}

/** Adds the column-matrix gradient dcol [ckk, oh·ow] into one sample's dx (zeroed first). */
function col2im(
  dcol: usize, dx: usize, c: i32, h: i32, w: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32,
): void {
  memory.fill(dx, 0, <usize>(c * h * w) << 2);
  let src = dcol;
  for (let ch = 0; ch < c; ch++) {
    const plane = dx + (<usize>(ch * h * w) << 2);
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        const ox = q * dw - pl;
        const j0 = firstInside(ox, sw, ow);
        const j1 = endInside(j0, ox, sw, w, ow);
        for (let i = 0; i < oh; i++) {
          const y = i * sh - pt + p * dh;
          if (y >= 0 && y < h) {
            const dst = plane + (<usize>(y * w + ox) << 2);
            if (sw == 1) {
              let j = j0;
              for (; j + 4 <= j1; j += 4) {
                const at = <usize>j << 2;
                v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
              }
              for (; j < j1; j++) {
                const at = <usize>j << 2;
                store<f32>(dst + at, load<f32>(dst + at) + load<f32>(src + at));
              }
            } else {
              for (let j = j0; j < j1; j++) {
                const at = dst + (<usize>(j * sw) << 2);
                store<f32>(at, load<f32>(at) + load<f32>(src + (<usize>j << 2)));
              }
            }
          }
          src += <usize>ow << 2;
        }
      }
    }
  }
}

/** y[b] = w · col(x[b]) + bias for samples b0 ≤ b < b1; bias 0: none. */
export function conv2dForward(
  x: usize, wt: usize, bias: usize, y: usize, b0: i32, b1: i32,
  c: i32, h: i32, w: i32, f: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, scratch: usize,
): void {
  const ckk = c * kh * kw;
  const s = oh * ow;
  const pointwise = isPointwise(kh, kw, sh, sw, pt, pl, h, w, oh, ow);
  const gemmScratch = scratch + (<usize>roundUp16(ckk * s) << 2);
  for (let b = b0; b < b1; b++) {
    const xb = x + (<usize>(b * c * h * w) << 2);
    const yb = y + (<usize>(b * f * s) << 2);
    if (!pointwise) im2col(xb, scratch, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw);
    gemm(wt, ckk, pointwise ? xb : scratch, s, yb, s, f, s, ckk, false, false, false, gemmScratch);
    if (bias != 0) {
      for (let o = 0; o < f; o++) {
        const row = yb + (<usize>(o * s) << 2);
        const bv = v128.splat<f32>(load<f32>(bias + (<usize>o << 2)));
        let j = 0;
        for (; j + 4 <= s; j += 4) {
          const at = row + (<usize>j << 2);
          v128.store(at, f32x4.add(v128.load(at), bv));
        }
        const b1v = load<f32>(bias + (<usize>o << 2));
        for (; j < s; j++) {
          const at = row + (<usize>j << 2);
          store<f32>(at, load<f32>(at) + b1v);
        }
      }
    }
  }
}

/** dx[b] = col2im(wᵀ · dy[b]) for samples b0 ≤ b < b1. */
export function conv2dBackwardInput(
  dy: usize, wt: usize, dx: usize, b0: i32, b1: i32,
  c: i32, h: i32, w: i32, f: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, scratch: usize,
): void {
  const ckk = c * kh * kw;
  const s = oh * ow;
  const pointwise = isPointwise(kh, kw, sh, sw, pt, pl, h, w, oh, ow);
  const gemmScratch = scratch + (<usize>roundUp16(ckk * s) << 2);
  for (let b = b0; b < b1; b++) {
    const dyb = dy + (<usize>(b * f * s) << 2);
    const dxb = dx + (<usize>(b * c * h * w) << 2);
    gemm(wt, ckk, dyb, s, pointwise ? dxb : scratch, s, ckk, s, f, true, false, false, gemmScratch);
    if (!pointwise) col2im(scratch, dxb, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw);
  }
}

/**
 * First sample of shard `shard` of `n` (shard = CONV_SHARDS gives n): shards are contiguous and
 * differ in size by at most one sample.
 */
export function conv2dShardRange(n: i32, shard: i32): i32 {
  return <i32>((<i64>n * <i64>shard) / <i64>CONV_SHARDS);
}

/**
 * For shards s0 ≤ k < s1 of a batch of n: partial k (at partials + k·(f·ckk + f) floats) =
 * [dw over the shard's samples (f·ckk floats), then db (f floats) when withBias]. Samples are
 * added in ascending order, each db sum in f64 then rounded. `direct` (stride 1, dilation 1,
 * kw ≤ 8 only): the direct kernel of assembly/conv-direct.ts instead of im2col and gemm.
 */
export function conv2dBackwardWeightShards(
  x: usize, dy: usize, partials: usize, n: i32, s0: i32, s1: i32, withBias: i32, direct: i32,
  c: i32, h: i32, w: i32, f: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, scratch: usize,
): void {
  const ckk = c * kh * kw;
  const s = oh * ow;
  const pointwise = isPointwise(kh, kw, sh, sw, pt, pl, h, w, oh, ow);
  const gemmScratch = scratch + (<usize>roundUp16(ckk * s) << 2);
  for (let k = s0; k < s1; k++) {
    const dwp = partials + (<usize>(k * (f * ckk + f)) << 2);
    const dbp = dwp + (<usize>(f * ckk) << 2);
    const first = conv2dShardRange(n, k);
    const last = conv2dShardRange(n, k + 1);
    memory.fill(dwp, 0, <usize>(f * ckk + f) << 2);
    if (direct != 0) {
      conv2dDirectBackwardWeight(x, dy, dwp, withBias != 0 ? dbp : 0, first, last, c, h, w, f, oh, ow, kh, kw, pt, pl, scratch);
      continue;
    }
    for (let b = first; b < last; b++) {
      const xb = x + (<usize>(b * c * h * w) << 2);
      const dyb = dy + (<usize>(b * f * s) << 2);
      if (!pointwise) im2col(xb, scratch, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw);
      gemm(dyb, s, pointwise ? xb : scratch, s, dwp, ckk, f, ckk, s, false, true, true, gemmScratch);
      if (withBias != 0) {
        for (let o = 0; o < f; o++) {
          const row = dyb + (<usize>(o * s) << 2);
          let total: f64 = 0;
          for (let j = 0; j < s; j++) total += <f64>load<f32>(row + (<usize>j << 2));
          const at = dbp + (<usize>o << 2);
          store<f32>(at, load<f32>(at) + <f32>total);
        }
      }
    }
  }
}

/** dw = partial 0 + partial 1 + … (in shard order), and db likewise when db ≠ 0. */
export function conv2dReduceShards(partials: usize, f: i32, ckk: i32, dw: usize, db: usize): void {
  const stride = <usize>(f * ckk + f) << 2;
  const count = f * ckk;
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    let total = load<f32>(partials + at);
    for (let k = 1; k < CONV_SHARDS; k++) total += load<f32>(partials + <usize>k * stride + at);
    store<f32>(dw + at, total);
  }
  if (db == 0) return;
  const base = partials + (<usize>count << 2);
  for (let o = 0; o < f; o++) {
    const at = <usize>o << 2;
    let total = load<f32>(base + at);
    for (let k = 1; k < CONV_SHARDS; k++) total += load<f32>(base + <usize>k * stride + at);
    store<f32>(db + at, total);
  }
}
