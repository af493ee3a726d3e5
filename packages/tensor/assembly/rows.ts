/**
 * Row-wise float32 kernels on a row-major [rows, columns] matrix, bit-identical to the JS
 * reference (src/js/rows.ts).
 */

/** out[r, c] = x[r, c] + bias[c]. `out` may be `x`. */
export function addRowVector(x: usize, bias: usize, out: usize, rows: i32, columns: i32): void {
  const rowBytes = <usize>columns << 2;
  for (let r = 0; r < rows; r++) {
    const src = x + <usize>r * rowBytes;
    const dst = out + <usize>r * rowBytes;
    let c = 0;
    for (; c + 4 <= columns; c += 4) {
      const at = <usize>c << 2;
      v128.store(dst + at, f32x4.add(v128.load(src + at), v128.load(bias + at)));
    }
    for (; c < columns; c++) {
      const at = <usize>c << 2;
      store<f32>(dst + at, load<f32>(src + at) + load<f32>(bias + at));
    }
  }
}

/**
 * out[c] = Σ_r x[r, c], summed over rows in ascending order in f64 and rounded once, exactly
 * like the reference. Columns are taken eight at a time (four f64x2 accumulators) so each row
 * read is a contiguous 32-byte run.
 */
export function sumRows(x: usize, out: usize, rows: i32, columns: i32): void {
  const rowBytes = <usize>columns << 2;
  let c = 0;
  for (; c + 8 <= columns; c += 8) {
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let src = x + (<usize>c << 2);
    for (let r = 0; r < rows; r++) {
      const v = v128.load(src);
      const w = v128.load(src, 16);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)));
      s2 = f64x2.add(s2, f64x2.promote_low_f32x4(w));
      s3 = f64x2.add(s3, f64x2.promote_low_f32x4(i64x2.shuffle(w, w, 1, 0)));
      src += rowBytes;
    }
    const dst = out + (<usize>c << 2);
    v128.store(dst, i64x2.shuffle(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 2));
    v128.store(dst, i64x2.shuffle(f32x4.demote_f64x2_zero(s2), f32x4.demote_f64x2_zero(s3), 0, 2), 16);
  }
  for (; c < columns; c++) {
    let total: f64 = 0;
    let src = x + (<usize>c << 2);
    for (let r = 0; r < rows; r++) {
      total += <f64>load<f32>(src);
      src += rowBytes;
    }
    store<f32>(out + (<usize>c << 2), <f32>total);
  }
}
