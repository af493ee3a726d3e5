/**
 * Fused softmax cross-entropy on float32 logits z [rows, columns = K] with i32 labels: returns
 * Σ_i Σ_k -q_ik log p_ik with q = (1 - ε)·onehot + ε/K, and writes grad = (softmax(z) - q) / rows.
 * The same operations in the same order as the JS reference (src/ops/softmax-cross-entropy.ts),
 * in f64; only Math.exp and Math.log (AssemblyScript's, not the JS engine's) may differ in the
 * last bit. Scalar: exp and log have no SIMD form, and K is a handful of classes.
 */
export function softmaxCrossEntropy(z: usize, labels: usize, smoothing: f64, grad: usize, rows: i32, columns: i32): f64 {
  const share = smoothing / <f64>columns;
  const hit = 1 - smoothing + share;
  const perRow = 1 / <f64>rows;
  const rowBytes = <usize>columns << 2;
  let loss: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const src = z + <usize>r * rowBytes;
    const dst = grad + <usize>r * rowBytes;
    const label = load<i32>(labels + (<usize>r << 2));
    let max: f64 = -Infinity;
    for (let c = 0; c < columns; c++) {
      const v = <f64>load<f32>(src + (<usize>c << 2));
      if (v > max) max = v;
    }
    let total: f64 = 0;
    let zSum: f64 = 0;
    for (let c = 0; c < columns; c++) {
      const at = <usize>c << 2;
      const v = <f64>load<f32>(src + at);
      const e = Math.exp(v - max);
      // Stored as f32 and read back, like the reference's Float32Array grad.
      store<f32>(dst + at, <f32>e);
      total += e;
      zSum += v;
    }
    const lse = max + Math.log(total);
    const zLabel = <f64>load<f32>(src + (<usize>label << 2));
    loss += (1 - smoothing) * (lse - zLabel) + smoothing * (lse - zSum / <f64>columns);
    const inv = 1 / total;
    for (let c = 0; c < columns; c++) {
      const at = <usize>c << 2;
      const q = c == label ? hit : share;
      store<f32>(dst + at, <f32>((<f64>load<f32>(dst + at) * inv - q) * perRow));
    }
  }
  return loss;
}
