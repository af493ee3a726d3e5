/**
 * Batch normalisation over float32 x viewed as [n, c, s] (the norm family: src/ops/norm.ts has
 * the formulas and the JS reference). Per channel ch, over its m = n·s values:
 *
 *   mean = Σ x / m,  variance = Σ (x − mean)² / m                  (two passes, f64)
 *   y  = (x − mean) · gamma / sqrt(variance + eps) + beta            (f64, rounded once)
 *   dbeta = Σ dy,  dgamma = Σ dy · (x − mean) · invStd               (f64)
 *   dx = scale · (dy − dbeta / m − (x − mean) · invStd · dgamma / m)  batch statistics
 *   dx = scale · dy                                                  fixed statistics
 *
 * with invStd = 1 / sqrt(variance + eps) and scale = gamma · invStd. Everything is computed in
 * f64 lanes (f64x2) from the f32 operands, each stored value rounded once, exactly as the
 * reference does. Two layouts:
 *
 *   s = 1 ([n, features]): four channels per pair of f64x2 vectors, summing down the rows like
 *     sumRows; every lane does the reference's operations in its order, so results are
 *     identical to the reference's;
 *   s > 1 (images): one channel at a time, four values of each plane per step. The sums then
 *     add in another order than the reference's one-by-one loop (four partial sums per plane),
 *     so statistics and gradients may differ from it in the last float32 bit; y and dx, given
 *     the same statistics, use the reference's operations.
 */

function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
}

/** f32 lanes from two f64x2 halves (lo: lanes 0, 1; hi: lanes 2, 3), each rounded once. */
function demote4(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** Σ of the four f64 lanes of lo and hi, plus a tail. */
function total(lo: v128, hi: v128, tail: f64): f64 {
  return f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1)) + tail;
}

/** 1 / sqrt(variance + eps) in f64, as the reference computes it. */
function inverseStd(variance: f64, epsilon: f64): f64 {
  return 1 / Math.sqrt(variance + epsilon);
}

/** The same per f64 lane. */
function inverseStd2(variance: v128, epsilon: v128): v128 {
  return f64x2.div(f64x2.splat(1), f64x2.sqrt(f64x2.add(variance, epsilon)));
}

/** Channel ch's f32 value of a [c] array, as f64. */
function at(array: usize, ch: i32): f64 {
  return <f64>load<f32>(array + (<usize>ch << 2));
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function batchNormStatistics(x: usize, mean: usize, variance: usize, n: i32, c: i32, s: i32): void {
  const m = <f64>n * <f64>s;
  const zero = f64x2.splat(0);
  if (s == 1) {
    const rowBytes = <usize>c << 2;
    const mv = f64x2.splat(m);
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      const column = x + (<usize>ch << 2);
      let lo = zero;
      let hi = zero;
      for (let b = 0; b < n; b++) {
        const v = v128.load(column + <usize>b * rowBytes);
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, promoteHigh(v));
      }
      const meanLo = f64x2.div(lo, mv);
      const meanHi = f64x2.div(hi, mv);
      lo = zero;
      hi = zero;
      for (let b = 0; b < n; b++) {
        const v = v128.load(column + <usize>b * rowBytes);
        const dLo = f64x2.sub(f64x2.promote_low_f32x4(v), meanLo);
        const dHi = f64x2.sub(promoteHigh(v), meanHi);
        lo = f64x2.add(lo, f64x2.mul(dLo, dLo));
        hi = f64x2.add(hi, f64x2.mul(dHi, dHi));
      }
      v128.store(mean + (<usize>ch << 2), demote4(meanLo, meanHi));
      v128.store(variance + (<usize>ch << 2), demote4(f64x2.div(lo, mv), f64x2.div(hi, mv)));
    }
    for (; ch < c; ch++) {
      let sum: f64 = 0;
      for (let b = 0; b < n; b++) sum += at(x, b * c + ch);
      const mu = sum / m;
      let squares: f64 = 0;
      for (let b = 0; b < n; b++) {
        const d = at(x, b * c + ch) - mu;
        squares += d * d;
      }
      store<f32>(mean + (<usize>ch << 2), <f32>mu);
      store<f32>(variance + (<usize>ch << 2), <f32>(squares / m));
    }
    return;
  }
  const planeBytes = <usize>s << 2;
  for (let ch = 0; ch < c; ch++) {
    let lo = zero;
    let hi = zero;
    let tail: f64 = 0;
    for (let b = 0; b < n; b++) {
      const plane = x + <usize>(b * c + ch) * planeBytes;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const v = v128.load(plane + (<usize>k << 2));
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, promoteHigh(v));
      }
      for (; k < s; k++) tail += at(plane, k);
    }
    const meanValue = total(lo, hi, tail) / m;
    const mv = f64x2.splat(meanValue);
    lo = zero;
    hi = zero;
    tail = 0;
    for (let b = 0; b < n; b++) {
      const plane = x + <usize>(b * c + ch) * planeBytes;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const v = v128.load(plane + (<usize>k << 2));
        const dLo = f64x2.sub(f64x2.promote_low_f32x4(v), mv);
        const dHi = f64x2.sub(promoteHigh(v), mv);
        lo = f64x2.add(lo, f64x2.mul(dLo, dLo));
        hi = f64x2.add(hi, f64x2.mul(dHi, dHi));
      }
      for (; k < s; k++) {
        const d = at(plane, k) - meanValue;
        tail += d * d;
      }
    }
    store<f32>(mean + (<usize>ch << 2), <f32>meanValue);
    store<f32>(variance + (<usize>ch << 2), <f32>(total(lo, hi, tail) / m));
  }
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/** Two channels' f64 lanes of a [c] f32 array, from channel ch. */
function pair(array: usize, ch: i32): v128 {
  return f64x2(at(array, ch), at(array, ch + 1));
}

export function batchNormForward(
  x: usize, mean: usize, variance: usize, gamma: usize, beta: usize, epsilon: f64, y: usize, n: i32, c: i32, s: i32,
): void {
  const eps = f64x2.splat(epsilon);
  if (s == 1) {
    const rowBytes = <usize>c << 2;
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      const muLo = pair(mean, ch);
      const muHi = pair(mean, ch + 2);
      const scaleLo = f64x2.mul(pair(gamma, ch), inverseStd2(pair(variance, ch), eps));
      const scaleHi = f64x2.mul(pair(gamma, ch + 2), inverseStd2(pair(variance, ch + 2), eps));
      const betaLo = pair(beta, ch);
      const betaHi = pair(beta, ch + 2);
      const offset = <usize>ch << 2;
      for (let b = 0; b < n; b++) {
        const row = <usize>b * rowBytes + offset;
        const v = v128.load(x + row);
        const lo = f64x2.add(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), muLo), scaleLo), betaLo);
        const hi = f64x2.add(f64x2.mul(f64x2.sub(promoteHigh(v), muHi), scaleHi), betaHi);
        v128.store(y + row, demote4(lo, hi));
      }
    }
    for (; ch < c; ch++) {
      const mu = at(mean, ch);
      const scale = at(gamma, ch) * inverseStd(at(variance, ch), epsilon);
      const shift = at(beta, ch);
      for (let b = 0; b < n; b++) {
        const i = b * c + ch;
        store<f32>(y + (<usize>i << 2), <f32>((at(x, i) - mu) * scale + shift));
      }
    }
    return;
  }
  const planeBytes = <usize>s << 2;
  for (let ch = 0; ch < c; ch++) {
    const mu = at(mean, ch);
    const scale = at(gamma, ch) * inverseStd(at(variance, ch), epsilon);
    const shift = at(beta, ch);
    const muv = f64x2.splat(mu);
    const scalev = f64x2.splat(scale);
    const shiftv = f64x2.splat(shift);
    for (let b = 0; b < n; b++) {
      const offset = <usize>(b * c + ch) * planeBytes;
      const src = x + offset;
      const dst = y + offset;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const v = v128.load(src + (<usize>k << 2));
        const lo = f64x2.add(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), muv), scalev), shiftv);
        const hi = f64x2.add(f64x2.mul(f64x2.sub(promoteHigh(v), muv), scalev), shiftv);
        v128.store(dst + (<usize>k << 2), demote4(lo, hi));
      }
      for (; k < s; k++) store<f32>(dst + (<usize>k << 2), <f32>((at(src, k) - mu) * scale + shift));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Backward

/**
 * dgamma and dbeta (overwritten) and, when dx is not 0, dx (overwritten; may be dy itself).
 * batchStatistics 1: mean and variance are x's own (train mode); 0: fixed (eval mode).
 */
export function batchNormBackward(
  x: usize, dy: usize, mean: usize, variance: usize, gamma: usize, epsilon: f64,
  dx: usize, dgamma: usize, dbeta: usize, n: i32, c: i32, s: i32, batchStatistics: i32,
): void {
  const m = <f64>n * <f64>s;
  const zero = f64x2.splat(0);
  const eps = f64x2.splat(epsilon);
  if (s == 1) {
    const rowBytes = <usize>c << 2;
    const mv = f64x2.splat(m);
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      const offset = <usize>ch << 2;
      const muLo = pair(mean, ch);
      const muHi = pair(mean, ch + 2);
      let dyLo = zero;
      let dyHi = zero;
      let xcLo = zero;
      let xcHi = zero;
      for (let b = 0; b < n; b++) {
        const row = <usize>b * rowBytes + offset;
        const v = v128.load(x + row);
        const g = v128.load(dy + row);
        const gLo = f64x2.promote_low_f32x4(g);
        const gHi = promoteHigh(g);
        dyLo = f64x2.add(dyLo, gLo);
        dyHi = f64x2.add(dyHi, gHi);
        xcLo = f64x2.add(xcLo, f64x2.mul(gLo, f64x2.sub(f64x2.promote_low_f32x4(v), muLo)));
        xcHi = f64x2.add(xcHi, f64x2.mul(gHi, f64x2.sub(promoteHigh(v), muHi)));
      }
      const invLo = inverseStd2(pair(variance, ch), eps);
      const invHi = inverseStd2(pair(variance, ch + 2), eps);
      const hatLo = f64x2.mul(xcLo, invLo);
      const hatHi = f64x2.mul(xcHi, invHi);
      v128.store(dgamma + offset, demote4(hatLo, hatHi));
      v128.store(dbeta + offset, demote4(dyLo, dyHi));
      if (dx == 0) continue;
      const scaleLo = f64x2.mul(pair(gamma, ch), invLo);
      const scaleHi = f64x2.mul(pair(gamma, ch + 2), invHi);
      const meanDyLo = f64x2.div(dyLo, mv);
      const meanDyHi = f64x2.div(dyHi, mv);
      const meanHatLo = f64x2.div(hatLo, mv);
      const meanHatHi = f64x2.div(hatHi, mv);
      for (let b = 0; b < n; b++) {
        const row = <usize>b * rowBytes + offset;
        const g = v128.load(dy + row);
        let lo = f64x2.promote_low_f32x4(g);
        let hi = promoteHigh(g);
        if (batchStatistics) {
          const v = v128.load(x + row);
          const xhLo = f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), muLo), invLo);
          const xhHi = f64x2.mul(f64x2.sub(promoteHigh(v), muHi), invHi);
          lo = f64x2.sub(f64x2.sub(lo, meanDyLo), f64x2.mul(xhLo, meanHatLo));
          hi = f64x2.sub(f64x2.sub(hi, meanDyHi), f64x2.mul(xhHi, meanHatHi));
        }
        v128.store(dx + row, demote4(f64x2.mul(scaleLo, lo), f64x2.mul(scaleHi, hi)));
      }
    }
    for (; ch < c; ch++) {
      const mu = at(mean, ch);
      let sumDy: f64 = 0;
      let sumDyXc: f64 = 0;
      for (let b = 0; b < n; b++) {
        const i = b * c + ch;
        const g = at(dy, i);
        sumDy += g;
        sumDyXc += g * (at(x, i) - mu);
      }
      channelBackwardTail(x, dy, dx, dgamma, dbeta, variance, gamma, epsilon, ch, mu, sumDy, sumDyXc, m, n, c, batchStatistics);
    }
    return;
  }
  const planeBytes = <usize>s << 2;
  for (let ch = 0; ch < c; ch++) {
    const mu = at(mean, ch);
    const muv = f64x2.splat(mu);
    let dyLo = zero;
    let dyHi = zero;
    let xcLo = zero;
    let xcHi = zero;
    let dyTail: f64 = 0;
    let xcTail: f64 = 0;
    for (let b = 0; b < n; b++) {
      const offset = <usize>(b * c + ch) * planeBytes;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const v = v128.load(x + offset + (<usize>k << 2));
        const g = v128.load(dy + offset + (<usize>k << 2));
        const gLo = f64x2.promote_low_f32x4(g);
        const gHi = promoteHigh(g);
        dyLo = f64x2.add(dyLo, gLo);
        dyHi = f64x2.add(dyHi, gHi);
        xcLo = f64x2.add(xcLo, f64x2.mul(gLo, f64x2.sub(f64x2.promote_low_f32x4(v), muv)));
        xcHi = f64x2.add(xcHi, f64x2.mul(gHi, f64x2.sub(promoteHigh(v), muv)));
      }
      for (; k < s; k++) {
        const g = at(dy + offset, k);
        dyTail += g;
        xcTail += g * (at(x + offset, k) - mu);
      }
    }
    const sumDy = total(dyLo, dyHi, dyTail);
    const sumDyXc = total(xcLo, xcHi, xcTail);
    const invStd = inverseStd(at(variance, ch), epsilon);
    const sumDyXhat = sumDyXc * invStd;
    store<f32>(dgamma + (<usize>ch << 2), <f32>sumDyXhat);
    store<f32>(dbeta + (<usize>ch << 2), <f32>sumDy);
    if (dx == 0) continue;
    const scale = at(gamma, ch) * invStd;
    const meanDy = sumDy / m;
    const meanHat = sumDyXhat / m;
    const scalev = f64x2.splat(scale);
    const invv = f64x2.splat(invStd);
    const meanDyv = f64x2.splat(meanDy);
    const meanHatv = f64x2.splat(meanHat);
    for (let b = 0; b < n; b++) {
      const offset = <usize>(b * c + ch) * planeBytes;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const g = v128.load(dy + offset + (<usize>k << 2));
        let lo = f64x2.promote_low_f32x4(g);
        let hi = promoteHigh(g);
        if (batchStatistics) {
          const v = v128.load(x + offset + (<usize>k << 2));
          const xhLo = f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), muv), invv);
          const xhHi = f64x2.mul(f64x2.sub(promoteHigh(v), muv), invv);
          lo = f64x2.sub(f64x2.sub(lo, meanDyv), f64x2.mul(xhLo, meanHatv));
          hi = f64x2.sub(f64x2.sub(hi, meanDyv), f64x2.mul(xhHi, meanHatv));
        }
        v128.store(dx + offset + (<usize>k << 2), demote4(f64x2.mul(scalev, lo), f64x2.mul(scalev, hi)));
      }
      for (; k < s; k++) {
        const g = at(dy + offset, k);
        const d = batchStatistics ? g - meanDy - (at(x + offset, k) - mu) * invStd * meanHat : g;
        store<f32>(dx + offset + (<usize>k << 2), <f32>(scale * d));
      }
    }
  }
}

/** The end of one channel's backward on the [n, c] layout (s = 1), given its two sums. */
function channelBackwardTail(
  x: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, variance: usize, gamma: usize, epsilon: f64,
  ch: i32, mu: f64, sumDy: f64, sumDyXc: f64, m: f64, n: i32, c: i32, batchStatistics: i32,
): void {
  const invStd = inverseStd(at(variance, ch), epsilon);
  const sumDyXhat = sumDyXc * invStd;
  store<f32>(dgamma + (<usize>ch << 2), <f32>sumDyXhat);
  store<f32>(dbeta + (<usize>ch << 2), <f32>sumDy);
  if (dx == 0) return;
  const scale = at(gamma, ch) * invStd;
  const meanDy = sumDy / m;
  const meanHat = sumDyXhat / m;
  for (let b = 0; b < n; b++) {
    const i = b * c + ch;
    const g = at(dy, i);
    const d = batchStatistics ? g - meanDy - (at(x, i) - mu) * invStd * meanHat : g;
    store<f32>(dx + (<usize>i << 2), <f32>(scale * d));
  }
}
