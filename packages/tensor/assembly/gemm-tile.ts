// The register tile of the gemm micro-kernels (gemm-kernels.ts): MR rows × NR columns of C.
// src/wasm/threads.node.ts aligns thread splits to the same numbers.

export const MR: i32 = 4;
export const NR: i32 = 8;
