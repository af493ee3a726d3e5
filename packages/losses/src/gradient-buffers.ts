import { type Backend, type Tensor, shapesEqual } from '@scratchnet/tensor';

/** The two buffers of one shape and dtype, and which forward each last received. */
interface Pair {
  readonly like: Tensor;
  readonly buffers: [Tensor, Tensor | undefined];
  /** The forward (its number) whose gradient each buffer holds. */
  readonly holds: [number, number];
  /** The buffer backward() last handed out, which the caller may still be reading. */
  lent: Tensor | undefined;
}

/** A buffer a forward writes its gradient into, with the forward's number. */
export interface GradientSlot {
  readonly grad: Tensor;
  readonly forward: number;
}

/**
 * Gradient tensors a loss reuses from step to step (from backend.zeros), so training allocates
 * none after its first two steps. A forward writes into one of two buffers of its predictions'
 * shape and dtype: never the one backward() last handed out, because the caller may still be
 * reading it while it runs more forwards (a finite-difference check does), so a gradient stays
 * valid until another one is handed out and a forward follows. backward() of a result whose
 * buffer a later forward has overwritten gets `undefined` from handOut and must recompute.
 * Each batch shape keeps its own pair (an epoch's smaller last batch, evaluation batches).
 */
export class GradientBuffers {
  private readonly backend: Backend;
  private readonly pairs: Pair[] = [];
  private last: Pair | undefined;
  private forwards = 0;

  constructor(backend: Backend) {
    this.backend = backend;
  }

  /** The buffer the next forward over `predictions` writes into. */
  claim(predictions: Tensor): GradientSlot {
    const pair = this.pairFor(predictions);
    const forward = ++this.forwards;
    const [first, second] = pair.buffers;
    const index = pair.lent === first ? 1 : 0;
    const grad = index === 0 ? first : (second ?? this.backend.zeros(predictions.shape, predictions.dtype));
    pair.buffers[index] = grad;
    pair.holds[index] = forward;
    return { grad, forward };
  }

  /** `slot.grad` if it still holds that forward's gradient (marking it lent), else undefined. */
  handOut(slot: GradientSlot): Tensor | undefined {
    const pair = this.pairFor(slot.grad);
    const index = pair.buffers.indexOf(slot.grad);
    if (pair.holds[index] !== slot.forward) return undefined;
    pair.lent = slot.grad;
    return slot.grad;
  }

  private pairFor(t: Tensor): Pair {
    const matches = (p: Pair) => p.like.dtype === t.dtype && shapesEqual(p.like.shape, t.shape);
    if (this.last !== undefined && matches(this.last)) return this.last;
    let pair = this.pairs.find(matches);
    if (pair === undefined) {
      const grad = this.backend.zeros(t.shape, t.dtype);
      pair = { like: grad, buffers: [grad, undefined], holds: [0, 0], lent: undefined };
      this.pairs.push(pair);
    }
    this.last = pair;
    return pair;
  }
}
