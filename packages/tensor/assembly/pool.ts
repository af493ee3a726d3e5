/**
 * 2-D max and average pooling over NCHW float32 planes (the pool family: src/ops/pool.ts has
 * the formulas and the JS reference). Each export handles planes [p0, p1) of one call, so
 * threads can take plane ranges; a plane's result does not depend on who computes it.
 *
 * Output cell (i, j) pools rows [i·sh − pt, i·sh − pt + kh) and columns [j·sw − pl, j·sw − pl + kw),
 * both clipped to the image. Four adjacent output columns are computed in the four lanes of a
 * vector where their windows lie inside the image and the stride is 1 (the lanes are one
 * contiguous load per window cell) or 2 (two loads and an even-lane shuffle); every other cell
 * (image borders, other strides, outputs narrower than four) takes the scalar path. Both paths do
 * the reference's operations in the reference's order:
 *
 *   max        f32.max over the window (NaN wins, +0 beats −0), like Math.max
 *   max grad   dx = 0, then dx[argmax] += dy in output order; the argmax is the first cell
 *              holding the maximum in row-major window order (the first NaN if any)
 *   average    Σ in f64 in window order, divided by the count of image cells, rounded once
 *   avg grad   dx = 0, then dx[cell] = f32(f64(dx[cell]) + f64(dy) / count) in output order;
 *              a 2-wide stride-2 window that does not overlap its neighbours (kh <= sh) writes
 *              its share into both columns of each row from one vector shuffle
 *
 * so the results are identical to the reference's.
 */

/** Four output columns' values for one window cell: lanes at p, p + sw·4 bytes, ... (sw 1 or 2). */
function lanes(p: usize, sw: i32): v128 {
  const a = v128.load(p);
  if (sw == 1) return a;
  return i32x4.shuffle(a, v128.load(p, 16), 0, 2, 4, 6);
}

/** Whether output columns j..j+3 can share a vector: stride 1 or 2 and every load inside the row. */
function vectorColumns(j: i32, ow: i32, w: i32, kw: i32, sw: i32, pl: i32): bool {
  // The stride-2 loads read one float past the last window cell of column j + 3.
  return sw <= 2 && j + 4 <= ow && j * sw - pl >= 0 && (j + 3) * sw - pl + kw - 1 + (sw - 1) < w;
}

/** f32 lanes from two f64x2 halves (lo: lanes 0, 1; hi: lanes 2, 3), each rounded once. */
function demote4(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
}

export function maxPool2dPlanes(
  x: usize, y: usize, p0: i32, p1: i32,
  h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const rowBytes = <usize>w << 2;
  for (let plane = p0; plane < p1; plane++) {
    const xp = x + (<usize>plane * <usize>(h * w) << 2);
    const yp = y + (<usize>plane * <usize>(oh * ow) << 2);
    for (let i = 0; i < oh; i++) {
      const top = i * sh - pt;
      const r0 = max(0, top);
      const r1 = min(h, top + kh);
      const yRow = yp + (<usize>(i * ow) << 2);
      let j = 0;
      while (j < ow) {
        const left = j * sw - pl;
        if (vectorColumns(j, ow, w, kw, sw, pl)) {
          let best = f32x4.splat(-Infinity);
          for (let r = r0; r < r1; r++) {
            const row = xp + <usize>r * rowBytes + (<usize>left << 2);
            for (let q = 0; q < kw; q++) best = f32x4.max(best, lanes(row + (<usize>q << 2), sw));
          }
          v128.store(yRow + (<usize>j << 2), best);
          j += 4;
        } else {
          const q0 = max(0, left);
          const q1 = min(w, left + kw);
          let best: f32 = -Infinity;
          for (let r = r0; r < r1; r++) {
            const row = xp + <usize>r * rowBytes;
            for (let q = q0; q < q1; q++) best = max(best, load<f32>(row + (<usize>q << 2)));
          }
          store<f32>(yRow + (<usize>j << 2), best);
          j++;
        }
      }
    }
  }
}

/** dx[at] += g (f32 add: the same as the reference's double add rounded to f32). */
function addAt(dx: usize, at: i32, g: f32): void {
  const p = dx + (<usize>at << 2);
  store<f32>(p, load<f32>(p) + g);
}

export function maxPool2dBackwardPlanes(
  x: usize, dy: usize, dx: usize, p0: i32, p1: i32,
  h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const planeFloats = <usize>(h * w);
  memory.fill(dx + (<usize>p0 * planeFloats << 2), 0, <usize>(p1 - p0) * planeFloats << 2);
  const steps = i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(sw));
  for (let plane = p0; plane < p1; plane++) {
    const xp = x + (<usize>plane * planeFloats << 2);
    const dxp = dx + (<usize>plane * planeFloats << 2);
    const dyp = dy + (<usize>plane * <usize>(oh * ow) << 2);
    for (let i = 0; i < oh; i++) {
      const top = i * sh - pt;
      const r0 = max(0, top);
      const r1 = min(h, top + kh);
      const dyRow = dyp + (<usize>(i * ow) << 2);
      let j = 0;
      while (j < ow) {
        const left = j * sw - pl;
        if (vectorColumns(j, ow, w, kw, sw, pl)) {
          // Per lane: the best value so far and its index in the plane; a later cell replaces
          // it when greater, or when NaN while the best is not.
          let best = lanes(xp + (<usize>(r0 * w + left) << 2), sw);
          let arg = i32x4.add(i32x4.splat(r0 * w + left), steps);
          for (let r = r0; r < r1; r++) {
            const row = xp + (<usize>(r * w + left) << 2);
            for (let q = r == r0 ? 1 : 0; q < kw; q++) {
              const v = lanes(row + (<usize>q << 2), sw);
              const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
              best = v128.bitselect(v, best, take);
              arg = v128.bitselect(i32x4.add(i32x4.splat(r * w + left + q), steps), arg, take);
            }
          }
          const g = dyRow + (<usize>j << 2);
          addAt(dxp, i32x4.extract_lane(arg, 0), load<f32>(g));
          addAt(dxp, i32x4.extract_lane(arg, 1), load<f32>(g, 4));
          addAt(dxp, i32x4.extract_lane(arg, 2), load<f32>(g, 8));
          addAt(dxp, i32x4.extract_lane(arg, 3), load<f32>(g, 12));
          j += 4;
        } else {
          const q0 = max(0, left);
          const q1 = min(w, left + kw);
          let bestAt = r0 * w + q0;
          let best = load<f32>(xp + (<usize>bestAt << 2));
          for (let r = r0; r < r1; r++) {
            for (let q = r == r0 ? q0 + 1 : q0; q < q1; q++) {
              const v = load<f32>(xp + (<usize>(r * w + q) << 2));
              if (v > best || (v != v && best == best)) {
                best = v;
                bestAt = r * w + q;
              }
            }
          }
          addAt(dxp, bestAt, load<f32>(dyRow + (<usize>j << 2)));
          j++;
        }
      }
    }
  }
}

export function avgPool2dPlanes(
  x: usize, y: usize, p0: i32, p1: i32,
  h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const rowBytes = <usize>w << 2;
  const zero = f64x2.splat(0);
  for (let plane = p0; plane < p1; plane++) {
    const xp = x + (<usize>plane * <usize>(h * w) << 2);
    const yp = y + (<usize>plane * <usize>(oh * ow) << 2);
    for (let i = 0; i < oh; i++) {
      const top = i * sh - pt;
      const r0 = max(0, top);
      const r1 = min(h, top + kh);
      const yRow = yp + (<usize>(i * ow) << 2);
      let j = 0;
      while (j < ow) {
        const left = j * sw - pl;
        if (vectorColumns(j, ow, w, kw, sw, pl)) {
          let lo = zero;
          let hi = zero;
          for (let r = r0; r < r1; r++) {
            const row = xp + <usize>r * rowBytes + (<usize>left << 2);
            for (let q = 0; q < kw; q++) {
              const v = lanes(row + (<usize>q << 2), sw);
              lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
              hi = f64x2.add(hi, promoteHigh(v));
            }
          }
          const count = f64x2.splat(<f64>((r1 - r0) * kw));
          v128.store(yRow + (<usize>j << 2), demote4(f64x2.div(lo, count), f64x2.div(hi, count)));
          j += 4;
        } else {
          const q0 = max(0, left);
          const q1 = min(w, left + kw);
          let total: f64 = 0;
          for (let r = r0; r < r1; r++) {
            const row = xp + <usize>r * rowBytes;
            for (let q = q0; q < q1; q++) total += <f64>load<f32>(row + (<usize>q << 2));
          }
          store<f32>(yRow + (<usize>j << 2), <f32>(total / <f64>((r1 - r0) * (q1 - q0))));
          j++;
        }
      }
    }
  }
}

export function avgPool2dBackwardPlanes(
  dy: usize, dx: usize, p0: i32, p1: i32,
  h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const planeFloats = <usize>(h * w);
  const rowBytes = <usize>w << 2;
  memory.fill(dx + (<usize>p0 * planeFloats << 2), 0, <usize>(p1 - p0) * planeFloats << 2);
  // 2-wide, stride-2 windows that overlap no other window: every cell gets one share, 0 + share.
  const pairs = kw == 2 && sw == 2 && kh <= sh;
  const zero = f64x2.splat(0);
  for (let plane = p0; plane < p1; plane++) {
    const dxp = dx + (<usize>plane * planeFloats << 2);
    const dyp = dy + (<usize>plane * <usize>(oh * ow) << 2);
    for (let i = 0; i < oh; i++) {
      const top = i * sh - pt;
      const r0 = max(0, top);
      const r1 = min(h, top + kh);
      const dyRow = dyp + (<usize>(i * ow) << 2);
      let j = 0;
      while (j < ow) {
        const left = j * sw - pl;
        if (pairs && j + 4 <= ow && left >= 0 && left + 7 < w) {
          const d = v128.load(dyRow + (<usize>j << 2));
          const count = f64x2.splat(<f64>((r1 - r0) * 2));
          const lo = f64x2.add(zero, f64x2.div(f64x2.promote_low_f32x4(d), count));
          const hi = f64x2.add(zero, f64x2.div(promoteHigh(d), count));
          const share = demote4(lo, hi);
          const first = i32x4.shuffle(share, share, 0, 0, 1, 1);
          const second = i32x4.shuffle(share, share, 2, 2, 3, 3);
          for (let r = r0; r < r1; r++) {
            const row = dxp + <usize>r * rowBytes + (<usize>left << 2);
            v128.store(row, first);
            v128.store(row, second, 16);
          }
          j += 4;
        } else {
          const q0 = max(0, left);
          const q1 = min(w, left + kw);
          const share = <f64>load<f32>(dyRow + (<usize>j << 2)) / <f64>((r1 - r0) * (q1 - q0));
          for (let r = r0; r < r1; r++) {
            const row = dxp + <usize>r * rowBytes;
            for (let q = q0; q < q1; q++) {
              const p = row + (<usize>q << 2);
              store<f32>(p, <f32>(<f64>load<f32>(p) + share));
            }
          }
          j++;
        }
      }
    }
  }
}
