import type { Backend } from '../backend.js';
import { Tensor } from '../tensor.js';

/** Where a conformance test puts an operand: plain memory, resident in wasm memory, or an unaligned view of it. */
export type Place = 'plain' | 'resident' | 'view';

/** A copy of `t` living where `place` says, in `backend`'s memory for the resident places. */
export function put(backend: Backend, t: Tensor, place: Place): Tensor {
  if (place === 'plain') return t.clone();
  if (place === 'resident') {
    const r = backend.zeros(t.shape);
    r.data.set(t.data);
    return r;
  }
  const data = backend.zeros([t.size + 4]).data.subarray(3, 3 + t.size);
  data.set(t.data);
  return new Tensor(t.shape, data);
}
