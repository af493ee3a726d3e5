import type { EpochMetrics, RunReport } from './report-data.js';

/** The epoch with the highest validation accuracy (the earliest of equals), if any epoch has one. */
export function bestValidationEpoch(epochs: readonly EpochMetrics[]): EpochMetrics | undefined {
  let best: EpochMetrics | undefined;
  for (const epoch of epochs) {
    const accuracy = epoch.validation?.accuracy;
    if (accuracy === undefined || !Number.isFinite(accuracy)) continue;
    if (best === undefined || accuracy > best.validation!.accuracy) best = epoch;
  }
  return best;
}

/** Total training time: the run's own figure, else the sum of its epochs' seconds. */
export function totalSeconds(run: { readonly totalSeconds?: number; readonly epochs: readonly EpochMetrics[] }): number | undefined {
  if (run.totalSeconds !== undefined) return run.totalSeconds;
  return run.epochs.length === 0 ? undefined : run.epochs.reduce((sum, epoch) => sum + epoch.seconds, 0);
}

export function meanEpochSeconds(epochs: readonly EpochMetrics[]): number | undefined {
  return epochs.length === 0 ? undefined : epochs.reduce((sum, epoch) => sum + epoch.seconds, 0) / epochs.length;
}

/** Throughput: the run's own figure, else the mean over its epochs. */
export function samplesPerSecond(report: RunReport): number | undefined {
  if (report.samplesPerSecond !== undefined) return report.samplesPerSecond;
  const { epochs } = report;
  return epochs.length === 0 ? undefined : epochs.reduce((sum, epoch) => sum + epoch.samplesPerSecond, 0) / epochs.length;
}
