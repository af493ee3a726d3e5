/**
 * Gathers byte rows by index into a float32 batch through a 256-entry float32 table:
 *   out[r · rowLength + j] = table[source[indices[r] · rowLength + j]]
 * with i32 indices; bit-identical to the JS reference (src/ops/gather.ts): a lookup does no
 * arithmetic. Scalar: wasm SIMD has no gather, and four bytes are read as one u32 to save
 * loads (little-endian, so byte k of the word is bits 8k..8k+7).
 */
export function gatherBytes(source: usize, indices: usize, rows: i32, rowLength: i32, table: usize, out: usize): void {
  const length = <usize>rowLength;
  for (let r = 0; r < rows; r++) {
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
}
