import { distanceFromPaper, estimatePaper } from './paper.js';
import { histogram256, histogramQuantile, median, otsuThreshold } from './otsu.js';
import { blurPlanes, luminance, shrinkPlanes, toRgbPlanes, type PixelImage, type RgbPlanes } from './pixels.js';
import { dropSpecks } from './specks.js';

/** A picture as ink coverage: 0 paper, 1 full ink. */
export interface InkImage {
  readonly width: number;
  readonly height: number;
  readonly ink: Float32Array;
}

/** Larger pictures are averaged down to about this many pixels a side before anything else. */
const WORK_SIDE = 512;
/** Ink must stand this far (of 255) above the paper's noise to count as ink at all. */
const MIN_CONTRAST = 13;

/**
 * Noise level (standard deviation, grey levels) from neighbouring pixels: the median absolute
 * difference, which the strokes (a minority of pixel pairs) hardly move. Clean renders give 0.
 */
export function noiseLevel(grey: Float32Array, width: number): number {
  const diffs = new Float32Array(grey.length);
  let n = 0;
  for (let i = 0; i < grey.length; i++) if ((i + 1) % width !== 0) diffs[n++] = Math.abs(grey[i + 1]! - grey[i]!);
  // For Gaussian noise of deviation s, |a - b| has median 0.954 s.
  return median(diffs.subarray(0, n)) / 0.954;
}

/**
 * Finds the ink of a digit picture, whatever the paper: an Otsu split of the grey levels gives a
 * first guess of which pixels are ink (the minority class, so dark-on-light and light-on-dark
 * both work); the paper's colour is then estimated block by block from the other pixels (so
 * gradients, shadows and tinted paper drop out), each pixel's ink is its colour distance from
 * that paper (so coloured ink counts), a second Otsu split on that distance refines the guess,
 * and the paper's own noise is subtracted. Noisy pictures are blurred a little first and tiny
 * isolated specks are cleared. A clean picture (black on white, white on black, a transparent
 * canvas) comes out as exactly its ink coverage.
 */
export function findInk(image: PixelImage): InkImage {
  let planes: RgbPlanes = toRgbPlanes(image);
  planes = shrinkPlanes(planes, Math.ceil(Math.max(planes.width, planes.height) / WORK_SIDE));
  const { width, height } = planes;
  const noise = noiseLevel(luminance(planes), width);
  if (noise > 1.5) planes = blurPlanes(planes, noise > 12 ? 2 : 1);
  const empty: InkImage = { width, height, ink: new Float32Array(width * height) };

  const grey = luminance(planes);
  const t = otsuThreshold(histogram256(grey));
  if (t < 0) return empty;
  let darkCount = 0;
  for (const v of grey) if (Math.round(v) <= t) darkCount++;
  const darkInk = darkCount <= grey.length / 2;
  let isInk = Uint8Array.from(grey, (v) => (Math.round(v) <= t === darkInk ? 1 : 0));

  const blockSize = Math.max(8, Math.round(Math.max(width, height) / 16));
  let distance = distanceFromPaper(planes, estimatePaper(planes, isInk, blockSize));
  const t2 = otsuThreshold(histogram256(distance));
  if (t2 < 0) return empty;
  isInk = Uint8Array.from(distance, (d) => (Math.round(d) > t2 ? 1 : 0));
  distance = distanceFromPaper(planes, estimatePaper(planes, isInk, blockSize));

  // The paper's own spread (noise, texture) sets the floor: median + 4 robust deviations.
  const paperMedian = histogramQuantile(histogram256(distance, (i) => !isInk[i]), 0.5);
  const spread = histogramQuantile(
    histogram256(distance.map((d) => Math.abs(d - paperMedian)), (i) => !isInk[i]),
    0.5,
  );
  const floor = paperMedian + 4 * 1.4826 * spread;
  // Full ink is what most ink pixels reach, so a faint pen or a pale photo still gives dark strokes.
  const full = histogramQuantile(histogram256(distance, (i) => isInk[i] === 1), 0.9);
  if (full - floor < MIN_CONTRAST) return empty;
  const ink = distance.map((d) => Math.min(1, Math.max(0, (d - floor) / (full - floor))));
  return { width, height, ink: dropSpecks(ink, width, height) };
}
