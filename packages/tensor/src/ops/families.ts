import type { Backend } from '../backend.js';
import { convFamily } from './conv.js';
import { denseFamily } from './dense.js';
import { elementwiseFamily } from './elementwise.js';
import type { OpFamily } from './family.js';
import { gatherFamily } from './gather.js';
import { matmulFamily } from './matmul.js';
import { normFamily } from './norm.js';
import { optimiserFamily } from './optimiser.js';
import { poolFamily } from './pool.js';
import { rowsFamily } from './rows.js';
import { softmaxCrossEntropyFamily } from './softmax-cross-entropy.js';

/** Every op family; a backend is their methods over one kernel table each, plus its lifecycle. */
export const FAMILIES = [
  matmulFamily,
  elementwiseFamily,
  rowsFamily,
  softmaxCrossEntropyFamily,
  denseFamily,
  optimiserFamily,
  convFamily,
  poolFamily,
  normFamily,
  gatherFamily,
] as const;

type AnyFamily = OpFamily<object, object>;
type MethodsOf<F> = F extends { methods(kernels: never): infer M } ? M : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every family's methods: src/backend.ts declares Backend as exactly these plus the lifecycle. */
export type FamilyMethods = Intersect<MethodsOf<(typeof FAMILIES)[number]>>;

/** The parts of a Backend that are not kernels. */
export type BackendLifecycle = Omit<Backend, keyof FamilyMethods>;

/**
 * A Backend: `lifecycle` plus each family's methods over the kernels `kernelsOf` picks for it
 * (the reference table, or the wasm bindings over it).
 */
export function backendFromFamilies<L extends BackendLifecycle>(
  lifecycle: L,
  kernelsOf: (family: AnyFamily) => object,
): Backend & L {
  // Onto `lifecycle` itself, not a spread copy, so its getters stay getters.
  for (const family of FAMILIES as readonly AnyFamily[]) Object.assign(lifecycle, family.methods(kernelsOf(family)));
  return lifecycle as Backend & L;
}
