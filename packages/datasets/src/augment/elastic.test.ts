import { createRng, type Rng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { ElasticField, boxWidths, fieldStride } from './elastic-field.js';
import { elasticAugmentation, elasticDefaults } from './elastic.js';
import { augment, batchOf, ringDigit, scriptedRng, sevenDigit, sum } from './test-images.js';

/** The 1-D kernel of the three boxes (each normalised), centred: length w1 + w2 + w3 - 2. */
function tripleBox(widths: readonly number[]): Float64Array {
  let kernel = Float64Array.of(1);
  for (const w of widths) {
    const next = new Float64Array(kernel.length + w - 1);
    for (let i = 0; i < kernel.length; i++) for (let j = 0; j < w; j++) next[i + j] = next[i + j]! + kernel[i]! / w;
    kernel = next;
  }
  return kernel;
}

/** k(d) of a centred kernel, 0 beyond its ends. */
const tap = (kernel: Float64Array, d: number): number => {
  const r = (kernel.length - 1) / 2;
  return Math.abs(d) > r ? 0 : kernel[d + r]!;
};

/**
 * The box version written out the slow, obvious way: per stride x stride block (row-major) two
 * 8-bit uniforms (x field, y field; one next() per two blocks) scaled by sqrt(pixels in the
 * frame) / stride²; the zero-padded 2-D convolution with the three-box kernel summed over every block
 * for blocks -1..n; bilinear interpolation to the pixels (block i at stride i + (stride - 1) / 2);
 * bilinear resampling with outside pixels = the image minimum.
 */
function reference(image: Float32Array, height: number, width: number, sigma: number, alpha: number, rng: Rng): Float64Array {
  const stride = fieldStride(sigma);
  const kernel = tripleBox(boxWidths(sigma / stride));
  const [columns, rows] = [Math.ceil(width / stride), Math.ceil(height / stride)];
  const inside = (i: number, side: number): number => Math.min(stride, side - i * stride);
  const u = new Float64Array(rows * columns);
  const v = new Float64Array(rows * columns);
  // The bytes of each next(), from the top: x and y of block 2k, then x and y of block 2k + 1.
  const bytes: number[] = [];
  for (let b = 0; b < rows * columns; b += 2) {
    const word = rng.next() * 2 ** 32;
    bytes.push(Math.floor(word / 2 ** 24) % 256, Math.floor(word / 2 ** 16) % 256, Math.floor(word / 2 ** 8) % 256, word % 256);
  }
  for (let q = 0; q < rows; q++) {
    for (let p = 0; p < columns; p++) {
      const b = q * columns + p;
      const weight = Math.sqrt(inside(p, width) * inside(q, height)) / stride ** 2;
      u[b] = ((2 * bytes[2 * b]! + 1) / 256 - 1) * weight;
      v[b] = ((2 * bytes[2 * b + 1]! + 1) / 256 - 1) * weight;
    }
  }
  const smoothed = (noise: Float64Array, i: number, j: number): number => {
    let total = 0;
    for (let q = 0; q < rows; q++) for (let p = 0; p < columns; p++) total += tap(kernel, i - p) * tap(kernel, j - q) * noise[q * columns + p]!;
    return total;
  };
  const field = (noise: Float64Array, x: number, y: number): number => {
    const [ax, ay] = [(x - (stride - 1) / 2) / stride, (y - (stride - 1) / 2) / stride];
    const [i, j] = [Math.floor(ax), Math.floor(ay)];
    const [fx, fy] = [ax - i, ay - j];
    return (
      smoothed(noise, i, j) * (1 - fx) * (1 - fy) +
      smoothed(noise, i + 1, j) * fx * (1 - fy) +
      smoothed(noise, i, j + 1) * (1 - fx) * fy +
      smoothed(noise, i + 1, j + 1) * fx * fy
    );
  };
  const fill = Math.min(...image);
  const at = (x: number, y: number): number => (x >= 0 && y >= 0 && x < width && y < height ? image[y * width + x]! : fill);
  return Float64Array.from({ length: height * width }, (_, index) => {
    const [x, y] = [index % width, Math.floor(index / width)];
    const sx = x + alpha * field(u, x, y);
    const sy = y + alpha * field(v, x, y);
    const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
    const [fx, fy] = [sx - x0, sy - y0];
    return at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
  });
}

/** The exact method's kernel (the one elastic used before the box version): radius min(ceil(3 sigma), side - 1), normalised. */
function gaussianKernel(sigma: number, maxRadius: number): Float64Array {
  const radius = Math.min(Math.ceil(3 * sigma), maxRadius);
  const kernel = Float64Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = sum(kernel);
  return kernel.map((k) => k / total);
}

/** Statistics of the smoothed x field (displacement / alpha) over `which` pixels. */
interface FieldStats {
  /** Root mean square over the pixels (the field's mean is 0). */
  readonly std: number;
  /** Mean correlation of (x, y) with (x + 4, y). */
  readonly lag4: number;
  /** Root mean square of the central difference (f(x + 1) - f(x - 1)) / 2: how much it stretches. */
  readonly gradient: number;
}

/**
 * The exact Gaussian method's statistics, from its covariance: with the zero-padded Gaussian G
 * and fields of variance 1/3, Cov(f(x, y), f(x', y')) = 1/3 c(x, x') c(y, y'),
 * c(x, x') = sum over in-frame p of g(p - x) g(p - x').
 */
function exactStats(side: number, sigma: number, pixels: readonly (readonly [number, number])[]): FieldStats {
  const kernel = gaussianKernel(sigma, side - 1);
  const c = (a: number, b: number): number => {
    let total = 0;
    for (let p = 0; p < side; p++) total += tap(kernel, p - a) * tap(kernel, p - b);
    return total;
  };
  const cov = (x: number, y: number, x2: number, y2: number): number => (c(x, x2) * c(y, y2)) / 3;
  return summarise(pixels, cov);
}

/** The same statistics measured on `count` fields drawn by ElasticField (alpha 1). */
function measuredStats(side: number, sigma: number, pixels: readonly (readonly [number, number])[], count: number): FieldStats & { readonly mean: number; readonly uv: number } {
  const field = new ElasticField(side, side, sigma, 1);
  const grid = { sx: new Float64Array(side * side), sy: new Float64Array(side * side) };
  const rng = createRng(2024);
  const samples: Float64Array[] = [];
  const others: Float64Array[] = [];
  for (let n = 0; n < count; n++) {
    field.draw(rng);
    field.displace(grid);
    samples.push(Float64Array.from(grid.sx, (sx, i) => sx - (i % side)));
    others.push(Float64Array.from(grid.sy, (sy, i) => sy - Math.floor(i / side)));
  }
  const cov = (x: number, y: number, x2: number, y2: number): number => {
    let total = 0;
    for (const f of samples) total += f[y * side + x]! * f[y2 * side + x2]!;
    return total / samples.length;
  };
  let mean = 0;
  let uv = 0;
  let uu = 0;
  let vv = 0;
  for (let n = 0; n < count; n++) {
    for (const [x, y] of pixels) {
      const [a, b] = [samples[n]![y * side + x]!, others[n]![y * side + x]!];
      mean += a;
      uv += a * b;
      uu += a * a;
      vv += b * b;
    }
  }
  return { ...summarise(pixels, cov), mean: mean / (count * pixels.length) / Math.sqrt(uu / (count * pixels.length)), uv: uv / Math.sqrt(uu * vv) };
}

function summarise(pixels: readonly (readonly [number, number])[], cov: (x: number, y: number, x2: number, y2: number) => number): FieldStats {
  let variance = 0;
  let lag4 = 0;
  let gradient = 0;
  for (const [x, y] of pixels) {
    variance += cov(x, y, x, y);
    lag4 += cov(x, y, x + 4, y) / Math.sqrt(cov(x, y, x, y) * cov(x + 4, y, x + 4, y));
    gradient += (cov(x + 1, y, x + 1, y) + cov(x - 1, y, x - 1, y) - 2 * cov(x + 1, y, x - 1, y)) / 4;
  }
  return { std: Math.sqrt(variance / pixels.length), lag4: lag4 / pixels.length, gradient: Math.sqrt(gradient / pixels.length) };
}

/** An Rng whose next() always returns `value`, counting the calls. */
function constantRng(value: number): Rng & { readonly calls: () => number } {
  let calls = 0;
  return {
    ...scriptedRng({}),
    next: () => {
      calls++;
      return value;
    },
    calls: () => calls,
  };
}

describe('elastic', () => {
  it('alpha 0 leaves images bit-identical, and still draws the fields', () => {
    const images = batchOf(ringDigit(28), sevenDigit(28));
    const rng = constantRng(0.3);
    expect(augment(elasticAugmentation, { alpha: 0 }, [1, 28, 28], images, [0, 1], rng)).toEqual(images);
    expect(rng.calls()).toBe((2 * 14 * 14) / 2); // one next() per two blocks of 2 x 2 pixels
  });

  it('matches the box method computed naively (blocks, 8-bit draws, zero-padded three-box smoothing, bilinear twice)', () => {
    // Stride 1 (sigma < 4, boxes 3 3 5 and 1 1 3), 2 (sigma 5: 3 3 3 on 6 x 5 blocks, the last
    // row of blocks half outside), 3 (sigma 6.5 on 13 x 11: partial blocks both ways), the
    // MNIST default, and a large alpha that sends points far outside the frame.
    const cases = [
      [10, 12, 2, 3],
      [10, 12, 0.7, 2],
      [10, 12, 5, 20],
      [11, 13, 6.5, 10],
      [28, 28, 4, 34],
      [9, 9, 1.5, 80],
    ] as const;
    for (const [h, w, sigma, alpha] of cases) {
      const image = ringDigit(h, w).map((value) => value - 0.25);
      const rng = createRng(9);
      const out = augment(elasticAugmentation, { sigma, alpha }, [1, h, w], image, [0], rng);
      const twin = createRng(9);
      const expected = reference(image, h, w, sigma, alpha, twin);
      for (let i = 0; i < h * w; i++) expect(out[i]).toBeCloseTo(expected[i]!, 5);
      expect(rng.state()).toEqual(twin.state()); // one next() per two blocks, nothing else
    }
  });

  it('keeps the exact Gaussian field statistics within a few per cent, inside the frame and at its edges', () => {
    // The exact method smooths per-pixel uniform(-1, 1) fields with a zero-padded Gaussian. The
    // box method's field, measured on 3,000 draws (sampling error 1-2%, more near the corners),
    // must have the same spread (within 6%), correlation between pixels 4 apart (within 0.05)
    // and gradient (within 8%) on pixels of the centre, along the edges and near the corners.
    // Expected from the two methods' covariances at sigma 4 (stride 2): spread +2.5%, gradient
    // +2.3%, correlation equal; at 1.5 (stride 1, boxes 3 3 3): +2.8%, +3.2%, -0.02. Measured
    // with this seed: spread -0.5% to +3.9%, correlation -0.034 to +0.016, gradient -4.3% to +3.1%.
    for (const [side, sigma] of [
      [28, 4],
      [28, 1.5],
      [32, elasticDefaults(32, 32).sigma],
    ] as const) {
      const centre = Array.from({ length: 36 }, (_, i) => [side / 2 - 3 + (i % 6), side / 2 - 3 + Math.floor(i / 6)] as const);
      const edges = Array.from({ length: side - 10 }, (_, i) => [
        [5 + i, 0],
        [5 + i, side - 1],
      ] as const).flat();
      const corners = [1, 2, side - 6, side - 5].flatMap((x) => [0, 1, side - 2, side - 1].map((y) => [x, y] as const));
      for (const pixels of [centre, edges, corners]) {
        const exact = exactStats(side, sigma, pixels);
        const measured = measuredStats(side, sigma, pixels, 3000);
        expect(Math.abs(measured.std / exact.std - 1)).toBeLessThan(0.06);
        expect(Math.abs(measured.lag4 - exact.lag4)).toBeLessThan(0.05);
        expect(Math.abs(measured.gradient / exact.gradient - 1)).toBeLessThan(0.08);
        expect(Math.abs(measured.mean)).toBeLessThan(0.05); // in units of the std
        expect(Math.abs(measured.uv)).toBeLessThan(0.05); // x and y fields uncorrelated
      }
    }
  });

  it('zero-pads the field: a field of ones moves the centre by alpha and the frame edge by less', () => {
    // A ramp I = x shows the x displacement directly: bilinear of a linear image is exact.
    // sigma 2: stride 1, so each pixel has its own value (here 1 - 2^-8, the largest draw).
    const side = 28;
    const ramp = Float32Array.from({ length: side * side }, (_, i) => i % side);
    const [sigma, alpha] = [2, 0.5];
    const one = 1 - 2 ** -8;
    const rng = constantRng(1 - 2 ** -32);
    const out = augment(elasticAugmentation, { sigma, alpha }, [1, side, side], ramp, [0], rng);
    expect(rng.calls()).toBe((side * side) / 2);
    const kernel = tripleBox(boxWidths(sigma));
    const radius = (kernel.length - 1) / 2;
    const halfSum = sum(kernel, radius); // taps 0..radius: what is left at the edge
    expect(out[14 * side + 14]! - 14).toBeCloseTo(alpha * one, 6); // whole kernel inside
    expect(out[14 * side + 0]!).toBeCloseTo(alpha * one * halfSum, 6); // only the right half inside
  });

  it('defaults to sigma 4 and alpha 34 at 28x28, scaled by max(height, width) / 28', () => {
    expect(elasticDefaults(28, 28)).toEqual({ sigma: 4, alpha: 34 });
    expect(elasticDefaults(8, 8).sigma).toBeCloseTo((4 * 8) / 28, 12);
    expect(elasticDefaults(8, 8).alpha).toBeCloseTo((34 * 8) / 28, 12);
    expect(elasticDefaults(32, 32).sigma).toBeCloseTo((4 * 32) / 28, 12);
    expect(elasticDefaults(32, 32).alpha).toBeCloseTo((34 * 32) / 28, 12);
    expect(elasticDefaults(20, 32)).toEqual(elasticDefaults(32, 32));
    // And create uses them: leaving the options out equals giving those values.
    for (const side of [8, 28, 32]) {
      const images = batchOf(ringDigit(side), ringDigit(side, side, 1));
      const implicit = augment(elasticAugmentation, {}, [1, side, side], images, [0, 1], 4);
      const explicit = augment(elasticAugmentation, elasticDefaults(side, side), [1, side, side], images, [0, 1], 4);
      expect(implicit).toEqual(explicit);
      expect(implicit).not.toEqual(images);
    }
  });

  it('picks three odd box widths whose variances add up to about sigma², on a grid of about sigma / 2', () => {
    expect(boxWidths(4)).toEqual([7, 7, 9]);
    expect(boxWidths(2)).toEqual([3, 3, 5]);
    expect(boxWidths(1e-300)).toEqual([1, 1, 1]); // no smoothing, no 0 / 0
    for (const sigma of [0.8, 1.5, 2, 2.5, 3.3, 4, 7.5, 20]) {
      const widths = boxWidths(sigma);
      expect(widths.every((w) => w % 2 === 1 && w >= 1)).toBe(true);
      // Each width step changes the variance by (w + 1) / 3: the recipe lands within that.
      const variance = sum(widths.map((w) => (w * w - 1) / 12));
      expect(Math.abs(variance - sigma * sigma)).toBeLessThanOrEqual((widths[0]! + 1) / 3);
    }
    expect([1, 3.9, 4, 5.9, 6, 9].map(fieldStride)).toEqual([1, 1, 2, 2, 3, 4]);
    // A huge sigma stays cheap: a few blocks, small boxes.
    const field = new ElasticField(28, 28, 1000, 1);
    expect([field.stride, field.columns, ...field.widths]).toEqual([500, 1, 3, 3, 5]);
    const images = batchOf(ringDigit(28));
    expect(augment(elasticAugmentation, { sigma: 1000, alpha: 34 }, [1, 28, 28], images, [0], 1).every(Number.isFinite)).toBe(true);
  });

  it('keeps the ink within 5% on average with the default settings', () => {
    // Per sample the ink changes by the local area factor det(I + alpha grad(G * u)), whose
    // spread at sigma 4, alpha 34 is large (about ±15%, up to ±40%): a strong distortion, as in
    // Simard et al. Averaged over many samples it cancels out.
    const samples = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? sevenDigit(28) : ringDigit(28, 28, (i % 5) - 2)));
    const images = batchOf(...samples);
    const which = samples.map((_, i) => i);
    const out = augment(elasticAugmentation, {}, [1, 28, 28], images, which, createRng(1));
    const ratios = which.map((i) => sum(out, i * 784, (i + 1) * 784) / sum(images, i * 784, (i + 1) * 784));
    const mean = sum(ratios) / ratios.length;
    expect(mean).toBeGreaterThan(0.95);
    expect(mean).toBeLessThan(1.05);
    expect(Math.min(...ratios)).toBeGreaterThan(0.5);
    expect(Math.max(...ratios)).toBeLessThan(2);
  });
});
