/** Rows whose cache lines are requested together before they are converted (16 MNIST rows: 12.5 KiB, in L1). */
const TOUCH_ROWS = 16;
const CACHE_LINE: usize = 64;

/**
 * Reads one byte of every cache line of rows [r0, r1) and returns their OR. A shuffled batch's
 * rows lie anywhere in a data set far larger than the caches, so each row starts with a cache
 * and TLB miss; the conversion loop, a few hundred instructions per row, meets them one at a
 * time. These loads do not depend on one another, so the processor has many in flight at once
 * (wasm has no prefetch instruction); the caller keeps the OR so they are not optimised away.
 * On MNIST's 47 MB of training bytes a shuffled batch of 64 took 51-62 µs without this and 27-30
 * with it (8 to 64 rows at a time measured the same); rows in order take 18.
 */
function touchRows(source: usize, indices: usize, r0: i32, r1: i32, length: usize): u32 {
  let seen: u32 = 0;
  for (let r = r0; r < r1; r++) {
    const src = source + <usize>load<i32>(indices + (<usize>r << 2)) * length;
    for (let j: usize = 0; j < length; j += CACHE_LINE) seen |= load<u8>(src + j);
    seen |= load<u8>(src + length - 1);
  }
  return seen;
}

/**
 * Gathers byte rows by index into a float32 batch through a 256-entry float32 table:
 *   out[r · rowLength + j] = table[source[indices[r] · rowLength + j]]
 * with i32 indices; bit-identical to the JS reference (src/ops/gather.ts): a lookup does no
 * arithmetic. Scalar: wasm SIMD has no gather, and four bytes are read as one u32 to save
 * loads (little-endian, so byte k of the word is bits 8k..8k+7). Rows are converted
 * TOUCH_ROWS at a time after touchRows has brought them in; returns the OR of the touched bytes
 * (meaningless, but it keeps those loads).
 */
export function gatherBytes(source: usize, indices: usize, rows: i32, rowLength: i32, table: usize, out: usize): u32 {
  const length = <usize>rowLength;
  let seen: u32 = 0;
  for (let r = 0; r < rows; r++) {
    if (r % TOUCH_ROWS == 0 && length > 0) seen |= touchRows(source, indices, r, min(rows, r + TOUCH_ROWS), length);
    const src = source + <usize>load<i32>(indices + (<usize>r << 2)) * length;
    const dst = out + ((<usize>r * length) << 2);
    let j: usize = 0;
    for (; j + 4 <= length; j += 4) {
      const word = load<u32>(src + j);
      const at = dst + (j << 2);
      store<f32>(at, load<f32>(table + ((<usize>(word & 0xff)) << 2)));
      store<f32>(at + 4, load<f32>(table + ((<usize>((word >> 8) & 0xff)) << 2)));
      store<f32>(at + 8, load<f32>(table + ((<usize>((word >> 16) & 0xff)) << 2)));
      store<f32>(at + 12, load<f32>(table + ((<usize>(word >> 24)) << 2)));
    }
    for (; j < length; j++) store<f32>(dst + (j << 2), load<f32>(table + (<usize>load<u8>(src + j) << 2)));
  }
  return seen;
}
