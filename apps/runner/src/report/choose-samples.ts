/** A test sample and what the model made of it, by class index. */
export interface SampleOutcome {
  /** Index in the test set (after its skip/take). */
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** The model's probability (or score) for `predicted`. */
  readonly confidence: number;
}

export interface ChosenSamples {
  /** Most confident first. */
  readonly misclassified: readonly SampleOutcome[];
  /** Most confident first. */
  readonly confidentCorrect: readonly SampleOutcome[];
}

export interface SampleLimits {
  readonly misclassified: number;
  readonly correct: number;
}

/** Enough mistakes for a 10x10 grid, and a row of the model at its surest. */
export const SAMPLE_LIMITS: SampleLimits = { misclassified: 100, correct: 20 };

/**
 * The test samples a report shows: the mistakes the model was surest of (the instructive ones:
 * mislabelled digits, or a blind spot) and the correct predictions it was surest of. Ties go to
 * the lower index, so the choice depends on nothing but the numbers. A non-finite confidence
 * sorts last rather than poisoning the order.
 */
export function chooseSamples(
  probabilities: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  limits: SampleLimits = SAMPLE_LIMITS,
): ChosenSamples {
  const count = labels.length;
  if (predicted.length !== count) throw new RangeError(`chooseSamples: ${predicted.length} predictions for ${count} labels`);
  if (count > 0 && probabilities.length % count !== 0) {
    throw new RangeError(`chooseSamples: ${probabilities.length} probabilities are not a whole row for each of ${count} samples`);
  }
  const classes = count === 0 ? 0 : probabilities.length / count;
  const wrong: SampleOutcome[] = [];
  const right: SampleOutcome[] = [];
  for (let index = 0; index < count; index++) {
    const label = labels[index]!;
    const guess = predicted[index]!;
    const sample = { index, label, predicted: guess, confidence: probabilities[index * classes + guess]! };
    (guess === label ? right : wrong).push(sample);
  }
  return { misclassified: mostConfident(wrong, limits.misclassified), confidentCorrect: mostConfident(right, limits.correct) };
}

function mostConfident(samples: SampleOutcome[], limit: number): SampleOutcome[] {
  const key = (s: SampleOutcome): number => (Number.isFinite(s.confidence) ? s.confidence : -Infinity);
  return samples.sort((a, b) => key(b) - key(a) || a.index - b.index).slice(0, Math.max(0, limit));
}
