// Synthetic sweeps for the tests: closed-form curves (no generator), so the same data every run.
import type { SweepReportData, SweepTrialSummary } from './sweep-report-data.js';

export const INITS = ['xavier-normal', 'xavier-uniform', 'he-normal', 'he-uniform', 'normal'] as const;
export const RATES = [0.001, 0.03, 0.3] as const;

/** An accuracy curve rising to `cap` with time constant `tau`. */
export function accuracyCurve(epochs: number, cap: number, tau: number): number[] {
  return Array.from({ length: epochs }, (_, e) => cap - (cap - 0.1) * Math.exp(-(e + 1) / tau));
}

export function best(curve: readonly number[], goal: 'maximize' | 'minimize'): number | undefined {
  const finite = curve.filter(Number.isFinite);
  if (finite.length === 0) return curve.length === 0 ? undefined : Number.NaN;
  return goal === 'maximize' ? Math.max(...finite) : Math.min(...finite);
}

/**
 * A 15-trial grid over a learning rate and a weight initialiser (5 inits x 3 rates), metric
 * validation accuracy: t007 is pruned at epoch 3, t012 failed before its first epoch, t014
 * diverged (NaN from epoch 2), t015 is still running; the others completed 8 epochs.
 */
export function syntheticSweep(overrides: Partial<SweepReportData> = {}): SweepReportData {
  const trials: SweepTrialSummary[] = [];
  INITS.forEach((init, i) => {
    RATES.forEach((rate, r) => {
      const index = i * RATES.length + r;
      const id = `t${String(index + 1).padStart(3, '0')}`;
      const cap = 0.9 + 0.012 * i + 0.02 * r;
      let curve = accuracyCurve(8, cap, 1.5 + r);
      let status: SweepTrialSummary['status'] = 'completed';
      const extra: { prunedAt?: number; error?: string } = {};
      if (id === 't007') {
        curve = curve.slice(0, 3);
        status = 'pruned';
        extra.prunedAt = 3;
      } else if (id === 't012') {
        curve = [];
        status = 'failed';
        extra.error = 'out of memory';
      } else if (id === 't014') {
        curve = [curve[0]!, Number.NaN];
        status = 'failed';
        extra.error = 'training diverged at epoch 2';
      } else if (id === 't015') {
        curve = curve.slice(0, 5);
        status = 'running';
      }
      // The runner reports a diverged trial's figure as NaN.
      const value = id === 't014' ? Number.NaN : best(curve, 'maximize');
      trials.push({
        id,
        index,
        status,
        parameters: { 'schedule.learningRate': rate, 'model.layers[0].weightInit': { type: init } },
        curve,
        ...(value === undefined ? {} : { value }),
        epochs: curve.length,
        ...extra,
        ...(status === 'completed' ? { test: { accuracy: (value ?? 0) - 0.004, loss: 0.2 }, seconds: 30 + index } : {}),
        ...(curve.length > 0 ? { report: `trials/${id}/report.html` } : {}),
      });
    });
  });
  return {
    name: 'mnist-init-sweep',
    createdAt: '2025-03-01T12:00:00.000Z',
    method: 'grid',
    base: 'configs/mnist-relu-softmax.yaml',
    metric: { name: 'validation.accuracy', goal: 'maximize' },
    earlyTermination: 'median rule: stop a trial below the median of earlier trials at the same epoch, from epoch 3',
    parameters: ['schedule.learningRate', 'model.layers[0].weightInit'],
    trials,
    versions: { '@scratchnet/report': '0.2.0', '@scratchnet/runner': '0.2.0' },
    ...overrides,
  };
}

/** A loss-minimising trial with the given index, value and curve. */
export function lossTrial(index: number, value: number | undefined, parameters: Record<string, unknown> = {}): SweepTrialSummary {
  const curve = value === undefined ? [] : [value * 2, value * 1.3, value];
  return {
    id: `t${String(index + 1).padStart(3, '0')}`,
    index,
    status: value === undefined ? 'pending' : 'completed',
    parameters,
    curve,
    ...(value === undefined ? {} : { value }),
    epochs: curve.length,
  };
}
