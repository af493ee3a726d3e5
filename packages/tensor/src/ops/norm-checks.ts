import { type Tensor, formatShape, shapeSize } from '../tensor.js';
import { describeTensor } from './checks.js';
import type { NormGeometry } from './norm.js';

// Argument checks of the norm family's methods (src/ops/norm.ts): every message names the
// kernel, what was expected and what was found.

/** x viewed as [n, c, s]; RangeError unless x has a channel axis and values per channel. */
export function normGeometry(kernel: string, x: Tensor): NormGeometry {
  const [n, c] = x.shape;
  if (n === undefined || c === undefined) {
    throw new RangeError(
      `${kernel}: x is ${formatShape(x.shape)}; expected [n, c, ...] with channels on the second axis ` +
        '(a batch of [features] is [n, features])',
    );
  }
  const s = shapeSize(x.shape.slice(2));
  if (n * s === 0) {
    throw new RangeError(`${kernel}: x is ${formatShape(x.shape)}; every channel needs at least one value to normalise over`);
  }
  return { n, c, s };
}

/** Throws unless every named tensor holds one value per channel. */
export function perChannel(kernel: string, c: number, ...named: ReadonlyArray<readonly [string, Tensor]>): void {
  for (const [name, t] of named) {
    if (t.size !== c) {
      throw new RangeError(`${kernel}: ${name} is ${describeTensor(t)} but x has ${c} channels; ${name} needs one value per channel ([${c}])`);
    }
  }
}

/** Throws unless epsilon is a finite number >= 0. */
export function checkEpsilon(kernel: string, epsilon: number): void {
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`${kernel}: epsilon is ${epsilon}; expected a finite number >= 0 (e.g. 1e-5)`);
  }
}
