/**
 * Edit distance with adjacent transpositions (optimal string alignment, the restricted
 * Damerau–Levenshtein distance): the fewest single-character insertions, deletions,
 * substitutions or swaps of neighbours that turn `a` into `b`. O(|a|·|b|) time, O(|b|) memory.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition step looks two rows back.
  let twoBack = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, twoBack[j - 2]! + 1);
      }
      current[j] = best;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length]!;
}

/** How many edits still count as a typo: 1 for short words, about a third of longer ones. */
function typoLimit(word: string): number {
  return Math.max(1, Math.floor(word.length / 3));
}

function localName(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? id : id.slice(slash + 1);
}

/**
 * The candidate `word` was most likely meant to be, or undefined when none is close.
 * Case is ignored, and a candidate `namespace/name` also matches on `name` alone, so
 * `swish` suggests `acme/swish`. Ties go to the earlier candidate.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const wanted = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const lower = candidate.toLowerCase();
    const distance = Math.min(editDistance(wanted, lower), editDistance(wanted, localName(lower)));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= typoLimit(wanted) ? best : undefined;
}

/**
 * `; did you mean "units"?` when a candidate is close to `word`, else ''. Shared by the unknown-key
 * and bad-enum messages so both phrase the hint the same way.
 */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string {
  const suggestion = didYouMean(word, candidates);
  return suggestion === undefined ? '' : `; did you mean ${JSON.stringify(suggestion)}?`;
}
