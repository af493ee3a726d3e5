/** Precision, recall and F1 of one class, from a confusion matrix. */
export interface ClassMetrics {
  readonly className: string;
  /** How many samples have this label (the row's sum). */
  readonly support: number;
  /** How many samples the model gave this class (the column's sum). */
  readonly predicted: number;
  readonly truePositives: number;
  /** Of the samples predicted as this class, the share that are; null when none were predicted. */
  readonly precision: number | null;
  /** Of the samples of this class, the share found; null when the class has no samples. */
  readonly recall: number | null;
  /** Harmonic mean of precision and recall; null when either is. */
  readonly f1: number | null;
}

/**
 * Per-class precision, recall and F1 from confusion[label][predicted]. An undefined ratio is null
 * rather than 0 (scikit-learn's default): a class the model never predicts has no precision,
 * and showing "0%" would claim every such prediction was wrong.
 */
export function perClassMetrics(confusion: readonly (readonly number[])[], classNames?: readonly string[]): ClassMetrics[] {
  const n = confusion.length;
  for (const [r, row] of confusion.entries()) {
    if (row.length !== n) throw new RangeError(`perClassMetrics: the confusion matrix must be square; row ${r} has ${row.length} entries for ${n} rows.`);
  }
  return confusion.map((row, k) => {
    const truePositives = row[k]!;
    const support = row.reduce((sum, v) => sum + v, 0);
    const predicted = confusion.reduce((sum, other) => sum + other[k]!, 0);
    const precision = predicted === 0 ? null : truePositives / predicted;
    const recall = support === 0 ? null : truePositives / support;
    const f1 =
      precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { className: classNames?.[k] ?? String(k), support, predicted, truePositives, precision, recall, f1 };
  });
}

export interface MacroAverages {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
}

/** Unweighted means over the classes where each figure is defined (null when none is). */
export function macroAverages(metrics: readonly ClassMetrics[]): MacroAverages {
  const mean = (values: readonly (number | null)[]): number | null => {
    const defined = values.filter((v): v is number => v !== null);
    return defined.length === 0 ? null : defined.reduce((sum, v) => sum + v, 0) / defined.length;
  };
  return {
    precision: mean(metrics.map((m) => m.precision)),
    recall: mean(metrics.map((m) => m.recall)),
    f1: mean(metrics.map((m) => m.f1)),
  };
}
