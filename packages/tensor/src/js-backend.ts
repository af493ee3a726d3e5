import type { Backend } from './backend.js';
import { checkShapeAndDtype } from './ops/checks.js';
import { backendFromFamilies } from './ops/families.js';
import { type DType, type Shape, Tensor } from './tensor.js';

/**
 * The readable reference backend: every op family's plain-loop kernels (src/ops/) behind the
 * families' argument checks. Works for float32 and float64 everywhere.
 */
export function createJsBackend(): Backend {
  return backendFromFamilies(
    {
      name: 'js',
      threads: 1,
      zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
        checkShapeAndDtype('zeros', shape, dtype);
        return Tensor.zeros(shape, dtype);
      },
      residentBytes: (bytes: Uint8Array): Uint8Array => bytes,
      dispose: () => Promise.resolve(),
    },
    (family) => family.reference,
  );
}
