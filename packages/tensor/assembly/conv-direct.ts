/**
 * Direct 2-D convolution for stride 1 and dilation 1 (the conv family: src/ops/conv.ts has the
 * formula). Used where the GEMM form is a poor fit: few filters or few taps, as in a first
 * layer (LeNet's 1 -> 6 channels, 5×5: a 6 × 784 × 25 product per sample wastes most of the
 * GEMM's tiles and copies the 25 × 784 column matrix twice).
 *
 * Each sample is first copied into a zero-padded plane per channel (xp [c, hp, wp], where the
 * padding is the convolution's plus zero columns so every 4-lane load of a row stays inside
 * it); then
 *   forward: blocks of 2 filters × 16 output columns (8 f32x4 accumulators); per kernel tap,
 *            4 row loads of xp and 2 weight splats feed 8 multiply-adds;
 *   weight gradient: per (filter, channel, kernel row) kw accumulators run along the output
 *            rows: dw[o, ch, p, q] += Σ_{i, j} dy[b, o, i, j] · xp[ch, i + p, j + q].
 * Sums are float32, in a fixed order, so results are identical whoever computes a sample.
 */
import { madd } from './lanes';

const FB: i32 = 2;
const JB: i32 = 16;
/** Most kernel columns the weight-gradient kernel keeps accumulators for. */
export const DIRECT_MAX_KW: i32 = 8;

function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/** Row length of the padded planes: every 16-column block and its kw − 1 extra columns fit. */
function paddedWidth(ow: i32, kw: i32): i32 {
  return roundUp(ow, JB) + kw - 1;
}

/** Floats of scratch one thread needs: the padded planes, a zero filter and a padded dy plane. */
export function conv2dDirectScratchFloats(c: i32, oh: i32, ow: i32, kh: i32, kw: i32): i32 {
  const hp = oh + kh - 1;
  return roundUp(c * hp * paddedWidth(ow, kw), 16) + roundUp(c * kh * kw, 16) + roundUp(oh * roundUp(ow, 4), 16);
}

/** Copies sample x [c, h, w] into xp [c, hp, wp] at row pt, column pl; everything else zero. */
function padSample(x: usize, xp: usize, c: i32, h: i32, w: i32, hp: i32, wp: i32, pt: i32, pl: i32): void {
  memory.fill(xp, 0, <usize>(c * hp * wp) << 2);
  const rows = min(h, hp - pt);
  const cols = min(w, wp - pl);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < rows; y++) {
      const src = x + (<usize>((ch * h + y) * w) << 2);
      const dst = xp + (<usize>((ch * hp + y + pt) * wp + pl) << 2);
      memory.copy(dst, src, <usize>cols << 2);
    }
  }
}

/** Stores the first `count` (1 to 4) lanes of v at p. */
function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p + 4, f32x4.extract_lane(v, 1));
  if (count > 2) store<f32>(p + 8, f32x4.extract_lane(v, 2));
}

/** y[b] = conv(x[b], w) + bias for samples b0 ≤ b < b1 (stride 1, dilation 1); bias 0: none. */
export function conv2dDirectForward(
  x: usize, wt: usize, bias: usize, y: usize, b0: i32, b1: i32,
  c: i32, h: i32, w: i32, f: i32, oh: i32, ow: i32, kh: i32, kw: i32, pt: i32, pl: i32, scratch: usize,
): void {
  const hp = oh + kh - 1;
  const wp = paddedWidth(ow, kw);
  const ckk = c * kh * kw;
  const xp = scratch;
  const zeroFilter = xp + (<usize>roundUp(c * hp * wp, 16) << 2);
  memory.fill(zeroFilter, 0, <usize>ckk << 2);
  for (let b = b0; b < b1; b++) {
    padSample(x + (<usize>(b * c * h * w) << 2), xp, c, h, w, hp, wp, pt, pl);
    for (let o = 0; o < f; o += FB) {
      const w0 = wt + (<usize>(o * ckk) << 2);
      // An odd last filter pairs with zeros and is not stored.
      const pair = o + 1 < f;
      const w1 = pair ? w0 + (<usize>ckk << 2) : zeroFilter;
      const bias0: f32 = bias != 0 ? load<f32>(bias + (<usize>o << 2)) : 0;
      const bias1: f32 = bias != 0 && pair ? load<f32>(bias + (<usize>(o + 1) << 2)) : 0;
      const y0 = y + (<usize>((b * f + o) * oh * ow) << 2);
      const y1 = y0 + (<usize>(oh * ow) << 2);
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j += JB) {
          let a0 = f32x4.splat(bias0);
          let a1 = a0;
          let a2 = a0;
          let a3 = a0;
          let c0 = f32x4.splat(bias1);
          let c1 = c0;
          let c2 = c0;
          let c3 = c0;
          let tap: usize = 0;
          for (let ch = 0; ch < c; ch++) {
            for (let p = 0; p < kh; p++) {
              const row = xp + (<usize>((ch * hp + i + p) * wp + j) << 2);
              for (let q = 0; q < kw; q++) {
                const at = row + (<usize>q << 2);
                const x0 = v128.load(at);
                const x1 = v128.load(at, 16);
                const x2 = v128.load(at, 32);
                const x3 = v128.load(at, 48);
                const k0 = v128.load32_splat(w0 + tap);
                const k1 = v128.load32_splat(w1 + tap);
                a0 = madd(x0, k0, a0);
                a1 = madd(x1, k0, a1);
                a2 = madd(x2, k0, a2);
                a3 = madd(x3, k0, a3);
                c0 = madd(x0, k1, c0);
                c1 = madd(x1, k1, c1);
                c2 = madd(x2, k1, c2);
                c3 = madd(x3, k1, c3);
                tap += 4;
              }
            }
          }
          const left = ow - j;
          const out0 = y0 + (<usize>(i * ow + j) << 2);
          storeLanes(out0, a0, left);
          if (left > 4) storeLanes(out0 + 16, a1, left - 4);
          if (left > 8) storeLanes(out0 + 32, a2, left - 8);
          if (left > 12) storeLanes(out0 + 48, a3, left - 12);
          if (pair) {
            const out1 = y1 + (<usize>(i * ow + j) << 2);
            storeLanes(out1, c0, left);
            if (left > 4) storeLanes(out1 + 16, c1, left - 4);
            if (left > 8) storeLanes(out1 + 32, c2, left - 8);
            if (left > 12) storeLanes(out1 + 48, c3, left - 12);
          }
        }
      }
    }
  }
}

/** The sum of v's four lanes. */
function laneSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Adds sample b's contribution to dw [f, c, kh, kw] (and db [f] when db ≠ 0), for samples
 * first ≤ b < last in order (kw ≤ DIRECT_MAX_KW). Each term is summed in lanes over the
 * sample, then added to dw.
 */
export function conv2dDirectBackwardWeight(
  x: usize, dy: usize, dw: usize, db: usize, first: i32, last: i32,
  c: i32, h: i32, w: i32, f: i32, oh: i32, ow: i32, kh: i32, kw: i32, pt: i32, pl: i32, scratch: usize,
): void {
  const hp = oh + kh - 1;
  const wp = paddedWidth(ow, kw);
  const ckk = c * kh * kw;
  const xp = scratch;
  const ow4 = roundUp(ow, 4);
  // dy planes copied with zero columns up to a multiple of 4, so vectors need no masking.
  const dyp = xp + (<usize>(roundUp(c * hp * wp, 16) + roundUp(ckk, 16)) << 2);
  memory.fill(dyp, 0, <usize>(oh * ow4) << 2);
  for (let b = first; b < last; b++) {
    padSample(x + (<usize>(b * c * h * w) << 2), xp, c, h, w, hp, wp, pt, pl);
    for (let o = 0; o < f; o++) {
      const plane = dy + (<usize>((b * f + o) * oh * ow) << 2);
      for (let i = 0; i < oh; i++) memory.copy(dyp + (<usize>(i * ow4) << 2), plane + (<usize>(i * ow) << 2), <usize>ow << 2);
      if (db != 0) {
        let total: f64 = 0;
        for (let k = 0; k < oh * ow; k++) total += <f64>load<f32>(plane + (<usize>k << 2));
        const at = db + (<usize>o << 2);
        store<f32>(at, load<f32>(at) + <f32>total);
      }
      for (let ch = 0; ch < c; ch++) {
        for (let p = 0; p < kh; p++) {
          let s0 = f32x4.splat(0);
          let s1 = s0;
          let s2 = s0;
          let s3 = s0;
          let s4 = s0;
          let s5 = s0;
          let s6 = s0;
          let s7 = s0;
          for (let i = 0; i < oh; i++) {
            const row = xp + (<usize>((ch * hp + i + p) * wp) << 2);
            const d = dyp + (<usize>(i * ow4) << 2);
            for (let j = 0; j < ow4; j += 4) {
              const g = v128.load(d + (<usize>j << 2));
              const at = row + (<usize>j << 2);
              s0 = madd(g, v128.load(at), s0);
              if (kw > 1) s1 = madd(g, v128.load(at, 4), s1);
              if (kw > 2) s2 = madd(g, v128.load(at, 8), s2);
              if (kw > 3) s3 = madd(g, v128.load(at, 12), s3);
              if (kw > 4) s4 = madd(g, v128.load(at, 16), s4);
              if (kw > 5) s5 = madd(g, v128.load(at, 20), s5);
              if (kw > 6) s6 = madd(g, v128.load(at, 24), s6);
              if (kw > 7) s7 = madd(g, v128.load(at, 28), s7);
            }
          }
          const out = dw + (<usize>(((o * c + ch) * kh + p) * kw) << 2);
          store<f32>(out, load<f32>(out) + laneSum(s0));
          if (kw > 1) store<f32>(out + 4, load<f32>(out + 4) + laneSum(s1));
          if (kw > 2) store<f32>(out + 8, load<f32>(out + 8) + laneSum(s2));
          if (kw > 3) store<f32>(out + 12, load<f32>(out + 12) + laneSum(s3));
          if (kw > 4) store<f32>(out + 16, load<f32>(out + 16) + laneSum(s4));
          if (kw > 5) store<f32>(out + 20, load<f32>(out + 20) + laneSum(s5));
          if (kw > 6) store<f32>(out + 24, load<f32>(out + 24) + laneSum(s6));
          if (kw > 7) store<f32>(out + 28, load<f32>(out + 28) + laneSum(s7));
        }
      }
    }
  }
}
