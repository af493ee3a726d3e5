/**
 * Seeded pseudo-random numbers: xoshiro128** (32-bit state words, so it is exact in JS and its
 * state serialises as four integers), seeded through splitmix32 so nearby seeds diverge.
 * Normals use Box-Muller; the spare value is part of the state, so save/restore is exact.
 */
export interface RngState {
  readonly algorithm: 'xoshiro128**';
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

export interface Rng {
  /** Uniform in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low?: number, high?: number): number;
  /** Normal with the given mean and standard deviation. */
  normal(mean?: number, std?: number): number;
  /** Integer uniform in [0, maxExclusive); maxExclusive must be in 1..2^32. */
  int(maxExclusive: number): number;
  /** Fisher-Yates shuffle in place. */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T;
  state(): RngState;
  setState(state: RngState): void;
  /** A new generator seeded from this one's stream (for independent sub-streams). */
  fork(): Rng;
}

function splitmix32(seed: number, increment = 0x9e3779b9): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + increment) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

class Xoshiro128 implements Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`rng seed must be an integer, got ${seed}`);
    // Seeds outside 0..2^32-1 mix their high part into all 128 state bits through a second
    // splitmix stream (folding it into the 32-bit low word made e.g. 2^32 and 0x27d4eb2d
    // collide). Its different increment means the two streams can never cancel word for word.
    const high = Math.floor(seed / 0x100000000);
    const mix = splitmix32(seed >>> 0);
    const mixHigh = high === 0 ? () => 0 : splitmix32(high, 0x632be5ab);
    this.s0 = (mix() ^ mixHigh()) >>> 0;
    this.s1 = (mix() ^ mixHigh()) >>> 0;
    this.s2 = (mix() ^ mixHigh()) >>> 0;
    this.s3 = (mix() ^ mixHigh()) >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    this.spare = radius * Math.sin(angle);
    return mean + std * radius * Math.cos(angle);
  }

  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > 0x100000000) {
      throw new RangeError(`rng.int needs an integer bound in 1..2^32, got ${maxExclusive}`);
    }
    // Rejection sampling keeps every value equally likely.
    const limit = 0x100000000 - (0x100000000 % maxExclusive);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % maxExclusive;
  }

  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  state(): RngState {
    return { algorithm: 'xoshiro128**', words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spare };
  }

  setState(state: RngState): void {
    if (state.algorithm !== 'xoshiro128**') {
      throw new RangeError(`rng.setState: unsupported algorithm ${String(state.algorithm)}; expected 'xoshiro128**'`);
    }
    // States usually come back from JSON, so check them rather than silently coercing: a
    // missing spareNormal would make normal() return NaN, all-zero words a stream of zeros.
    const words = state.words as unknown;
    const validWord = (w: unknown): boolean => Number.isInteger(w) && (w as number) >= 0 && (w as number) <= 0xffffffff;
    if (!Array.isArray(words) || words.length !== 4 || !words.every(validWord) || words.every((w) => w === 0)) {
      throw new RangeError(
        `rng.setState: words must be 4 integers in 0..2^32-1, not all zero; got ${JSON.stringify(words)}`,
      );
    }
    const spare = state.spareNormal as unknown;
    if (spare !== null && !(typeof spare === 'number' && Number.isFinite(spare))) {
      throw new RangeError(`rng.setState: spareNormal must be null or a finite number; got ${String(spare)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    this.spare = spare;
  }

  fork(): Rng {
    return new Xoshiro128(this.nextUint32() * 0x100000 + (this.nextUint32() >>> 12));
  }
}

export function createRng(seed: number): Rng {
  return new Xoshiro128(seed);
}
