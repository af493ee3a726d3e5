import { describe, expect, it } from 'vitest';
import { type Rng, type RngState, createRng } from './rng.js';

function draw(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.next());
}

/** Mean and (population) variance of n draws. */
function moments(n: number, sample: () => number): { mean: number; variance: number } {
  let total = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const v = sample();
    total += v;
    squares += v * v;
  }
  const mean = total / n;
  return { mean, variance: squares / n - mean * mean };
}

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(createRng(42), 50)).toEqual(draw(createRng(42), 50));
    const a = createRng(7);
    const b = createRng(7);
    expect([a.normal(), a.int(10), a.uniform(-3, 3)]).toEqual([b.normal(), b.int(10), b.uniform(-3, 3)]);
  });

  it('gives different sequences for different seeds, including large and negative ones', () => {
    // 2^32 and 0x27d4eb2d collided before the high part of the seed got its own mixing stream.
    const seeds = [0, 1, 2, -1, 0x27d4eb2d, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, -(2 ** 53 - 1)];
    const streams = seeds.map((seed) => draw(createRng(seed), 4).join(','));
    expect(new Set(streams).size).toBe(seeds.length);
  });

  it('rejects a seed that is not an integer', () => {
    for (const seed of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createRng(seed)).toThrow(new RangeError(`rng seed must be an integer, got ${seed}`));
    }
  });

  it('next() stays in [0, 1)', () => {
    const values = draw(createRng(3), 10_000);
    expect(values.filter((v) => !(v >= 0 && v < 1))).toEqual([]);
  });
});

describe('distributions', () => {
  const n = 100_000;

  it('uniform has mean 1/2 and variance 1/12, and respects its bounds', () => {
    // Standard error of the mean is sqrt(1/12 / n) ≈ 0.0009; the tolerances are about 5 of them.
    const unit = createRng(10);
    const { mean, variance } = moments(n, () => unit.uniform());
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const rng = createRng(11);
    const scaled = moments(n, () => rng.uniform(-2, 4));
    expect(Math.abs(scaled.mean - 1)).toBeLessThan(0.03);
    expect(Math.abs(scaled.variance - 3)).toBeLessThan(0.08);
    const bounded = createRng(12);
    const values = Array.from({ length: 1000 }, () => bounded.uniform(5, 6));
    expect(values.filter((v) => !(v >= 5 && v < 6))).toEqual([]);
  });

  it('normal has the requested mean and standard deviation', () => {
    const rng = createRng(20);
    const standard = moments(n, () => rng.normal());
    expect(Math.abs(standard.mean)).toBeLessThan(0.015);
    expect(Math.abs(Math.sqrt(standard.variance) - 1)).toBeLessThan(0.015);
    const shifted = moments(n, () => rng.normal(3, 2));
    expect(Math.abs(shifted.mean - 3)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(shifted.variance) - 2)).toBeLessThan(0.03);
  });

  it('normal has Gaussian tails (about 4.55% beyond 2 sigma)', () => {
    const rng = createRng(21);
    let beyond = 0;
    for (let i = 0; i < n; i++) if (Math.abs(rng.normal()) > 2) beyond++;
    expect(Math.abs(beyond / n - 0.0455)).toBeLessThan(0.004);
  });

  it('int() stays in bounds and is roughly uniform', () => {
    const rng = createRng(30);
    const buckets = 7;
    const counts = new Array<number>(buckets).fill(0);
    const outOfBounds: number[] = [];
    for (let i = 0; i < 70_000; i++) {
      const v = rng.int(buckets);
      if (Number.isInteger(v) && v >= 0 && v < buckets) counts[v]!++;
      else outOfBounds.push(v);
    }
    expect(outOfBounds).toEqual([]);
    // Chi-square with 6 degrees of freedom: 22.5 is far beyond its 99.9th percentile.
    const chiSquare = counts.reduce((t, c) => t + (c - 10_000) ** 2 / 10_000, 0);
    expect(chiSquare).toBeLessThan(22.5);
    expect(rng.int(1)).toBe(0);
    const full = rng.int(2 ** 32);
    expect(Number.isInteger(full) && full >= 0 && full < 2 ** 32).toBe(true);
  });

  it('int() rejects bounds outside 1..2^32', () => {
    const rng = createRng(31);
    for (const bound of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN]) {
      expect(() => rng.int(bound)).toThrow(new RangeError(`rng.int needs an integer bound in 1..2^32, got ${bound}`));
    }
  });
});

describe('shuffle', () => {
  it('returns a permutation of the same array, deterministically', () => {
    const original = Array.from({ length: 50 }, (_, i) => i);
    const a = createRng(40).shuffle([...original]);
    const b = createRng(40).shuffle([...original]);
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(original);
    expect(a).not.toEqual(original);
    expect(createRng(41).shuffle([...original])).not.toEqual(a);
    const typed = Int32Array.from(original);
    expect(createRng(40).shuffle(typed)).toBe(typed);
    expect([...typed]).toEqual(a);
  });

  it('puts every element in every position about equally often', () => {
    const rng = createRng(42);
    const firstCounts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) firstCounts[rng.shuffle([0, 1, 2, 3])[0]!]!++;
    for (const c of firstCounts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe('state', () => {
  it('setState restores the stream exactly, including a pending spare normal', () => {
    const rng = createRng(50);
    rng.normal();
    const saved = rng.state();
    expect(saved.spareNormal).not.toBeNull();
    const expected = [rng.normal(), rng.next(), rng.normal(), rng.int(1000), rng.normal()];
    rng.setState(saved);
    expect([rng.normal(), rng.next(), rng.normal(), rng.int(1000), rng.normal()]).toEqual(expected);
  });

  it('survives a JSON round trip into another generator', () => {
    const rng = createRng(51);
    draw(rng, 3);
    rng.normal();
    const json = JSON.stringify(rng.state());
    const expected = [rng.normal(), rng.normal(), ...draw(rng, 5)];
    const other = createRng(999);
    other.setState(JSON.parse(json) as RngState);
    expect([other.normal(), other.normal(), ...draw(other, 5)]).toEqual(expected);
    expect(other.state()).toEqual(rng.state());
  });

  it('state() is a snapshot, not a live view', () => {
    const rng = createRng(52);
    const before = rng.state();
    const words = [...before.words];
    draw(rng, 5);
    expect([...before.words]).toEqual(words);
  });

  it('setState rejects malformed states with a clear message', () => {
    const rng = createRng(53);
    const good = rng.state();
    const bad = (patch: object) => ({ ...good, ...patch }) as unknown as RngState;
    expect(() => rng.setState(bad({ algorithm: 'mt19937' }))).toThrow(/rng.setState: unsupported algorithm mt19937/);
    expect(() => rng.setState(bad({ words: [1, 2, 3] }))).toThrow(/rng.setState: words must be 4 integers in 0..2\^32-1, not all zero; got \[1,2,3\]/);
    expect(() => rng.setState(bad({ words: [1, 2, 3, 2 ** 32] }))).toThrow(/words must be 4 integers/);
    expect(() => rng.setState(bad({ words: [1.5, 2, 3, 4] }))).toThrow(/words must be 4 integers/);
    expect(() => rng.setState(bad({ words: [0, 0, 0, 0] }))).toThrow(/not all zero/);
    expect(() => rng.setState(bad({ spareNormal: undefined }))).toThrow(/spareNormal must be null or a finite number; got undefined/);
    expect(() => rng.setState(bad({ spareNormal: Number.NaN }))).toThrow(/spareNormal must be null or a finite number/);
    // A rejected state leaves the generator untouched.
    expect(rng.state()).toEqual(good);
  });
});

describe('fork', () => {
  it('is deterministic and independent of the parent afterwards', () => {
    const parentA = createRng(60);
    const parentB = createRng(60);
    const childA = parentA.fork();
    const childB = parentB.fork();
    expect(draw(childA, 20)).toEqual(draw(childB, 20));
    // Drawing from a child does not move its parent, and vice versa.
    expect(draw(parentA, 20)).toEqual(draw(parentB, 20));
    draw(parentA, 5);
    expect(draw(childA, 5)).toEqual(draw(childB, 5));
  });

  it('gives a stream different from the parent and from sibling forks', () => {
    const parent = createRng(61);
    const first = parent.fork();
    const second = parent.fork();
    const streams = [draw(first, 8), draw(second, 8), draw(parent, 8)].map((s) => s.join(','));
    expect(new Set(streams).size).toBe(3);
    // Forked streams are uncorrelated with the parent's (|r| << 0.05 for 10k pairs).
    const child = parent.fork();
    const n = 10_000;
    const xs = draw(parent, n);
    const ys = draw(child, n);
    const mean = (v: number[]) => v.reduce((t, x) => t + x, 0) / n;
    const mx = mean(xs);
    const my = mean(ys);
    let cov = 0;
    let vx = 0;
    let vy = 0;
    for (let i = 0; i < n; i++) {
      cov += (xs[i]! - mx) * (ys[i]! - my);
      vx += (xs[i]! - mx) ** 2;
      vy += (ys[i]! - my) ** 2;
    }
    expect(Math.abs(cov / Math.sqrt(vx * vy))).toBeLessThan(0.05);
  });
});
