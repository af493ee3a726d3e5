/** Counts of values rounded into 256 bins over 0..255 (values outside are clamped). */
export function histogram256(values: ArrayLike<number>, include?: (index: number) => boolean): Float64Array {
  const counts = new Float64Array(256);
  for (let i = 0; i < values.length; i++) {
    if (include !== undefined && !include(i)) continue;
    counts[Math.min(255, Math.max(0, Math.round(values[i]!)))]! += 1;
  }
  return counts;
}

/**
 * Otsu's threshold: the bin t that best splits the histogram into two classes (values <= t and
 * values > t) by maximising the between-class variance. Ties (a flat run between two peaks)
 * take the middle of the run, so a clean two-level picture splits halfway between its levels.
 * Returns -1 when there is only one level and so nothing to split.
 */
export function otsuThreshold(counts: ArrayLike<number>): number {
  let total = 0;
  let sumAll = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i]!;
    sumAll += i * counts[i]!;
  }
  let below = 0;
  let sumBelow = 0;
  let best = -1;
  let bestFirst = -1;
  let bestLast = -1;
  for (let t = 0; t < counts.length - 1; t++) {
    below += counts[t]!;
    sumBelow += t * counts[t]!;
    const above = total - below;
    if (below === 0 || above === 0) continue;
    const meanBelow = sumBelow / below;
    const meanAbove = (sumAll - sumBelow) / above;
    const between = below * above * (meanBelow - meanAbove) ** 2;
    // Relative tolerance: float sums make equal variances differ in the last bits.
    if (between > best * (1 + 1e-9)) {
      best = between;
      bestFirst = bestLast = t;
    } else if (between >= best * (1 - 1e-9)) {
      bestLast = t;
    }
  }
  return best < 0 ? -1 : Math.floor((bestFirst + bestLast) / 2);
}

/** The value at fraction q (0..1) of the histogram's mass, by bin. */
export function histogramQuantile(counts: ArrayLike<number>, q: number): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return 0;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= target && seen > 0) return i;
  }
  return counts.length - 1;
}

/** Median of the selected values (exact, by sorting); 0 when none is selected. */
export function median(values: ArrayLike<number>, include?: (index: number) => boolean): number {
  const picked: number[] = [];
  for (let i = 0; i < values.length; i++) if (include === undefined || include(i)) picked.push(values[i]!);
  if (picked.length === 0) return 0;
  picked.sort((a, b) => a - b);
  const mid = picked.length >> 1;
  return picked.length % 2 === 1 ? picked[mid]! : (picked[mid - 1]! + picked[mid]!) / 2;
}
