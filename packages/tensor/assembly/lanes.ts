// RELAXED is a compile-time constant (`asc --use RELAXED=0|1`): the build emits one module with
// relaxed-SIMD fused multiply-add and one with plain SIMD; the untaken branch is never compiled.

/** a·b + c on four f32 lanes (one rounding with relaxed FMA, two otherwise). */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
