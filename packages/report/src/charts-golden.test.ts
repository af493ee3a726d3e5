import { describe, it } from 'vitest';
import { heatmap } from './heatmap.js';
import { lineChart, type LineSeries } from './line-chart.js';
import { expectGolden } from './test-golden.js';

// Inputs are closed-form (no generator), so a golden file changes only when the drawing does.
const epochs = Array.from({ length: 12 }, (_, i) => i + 1);
const trainLoss = epochs.map((e) => [e, 0.05 + 0.6 * Math.exp(-e / 3)] as const);
const validationLoss = epochs.map((e) => [e, 0.09 + 0.6 * Math.exp(-e / 3) + (e > 8 ? (e - 8) * 0.01 : 0)] as const);

describe('chart golden files', () => {
  it('loss with training, validation and the best-epoch marker', () => {
    expectGolden(
      'loss.svg',
      lineChart({
        id: 'golden-loss',
        title: 'Loss per epoch',
        series: [
          { name: 'training', points: trainLoss },
          { name: 'validation', points: validationLoss },
        ],
        yLabel: 'loss',
        marker: { x: 8, label: 'best validation: epoch 8' },
      }),
    );
  });

  it('accuracy on a percent axis', () => {
    expectGolden(
      'accuracy.svg',
      lineChart({
        id: 'golden-accuracy',
        title: 'Accuracy per epoch',
        yFormat: 'percent',
        yLabel: 'accuracy',
        width: 520,
        series: [
          { name: 'training', points: epochs.map((e) => [e, 1 - 0.2 * Math.exp(-e / 2.5)] as const) },
          { name: 'validation', points: epochs.map((e) => [e, 0.99 - 0.21 * Math.exp(-e / 2.5)] as const) },
        ],
      }),
    );
  });

  it('a decaying learning rate on a log axis', () => {
    expectGolden(
      'learning-rate-log.svg',
      lineChart({
        id: 'golden-lr',
        title: 'Learning rate per epoch',
        yScale: 'log',
        yLabel: 'learning rate',
        series: [{ name: 'learning rate', colour: 4, points: epochs.map((e) => [e, 0.1 * 0.5 ** (e - 1)] as const) }],
      }),
    );
  });

  it('twelve overlaid runs: wrapped legend, colours cycling with dashes, a diverged run', () => {
    const series: LineSeries[] = Array.from({ length: 12 }, (_, r) => ({
      name: `init-${r}`,
      points: epochs.map((e) => [e, r === 5 && e > 6 ? Number.NaN : 0.6 + r * 0.02 - 0.5 * Math.exp(-e / (2 + r / 4))] as const),
    }));
    expectGolden('comparison.svg', lineChart({ id: 'golden-compare', title: 'Validation accuracy', yFormat: 'percent', series }));
  });

  it('a 10x10 confusion matrix', () => {
    const values = Array.from({ length: 10 }, (_, r) => Array.from({ length: 10 }, (_, c) => (r === c ? 950 + r * 20 : (r * 3 + c * 7) % 11 === 0 ? (r + c) % 13 : 0)));
    const labels = Array.from({ length: 10 }, (_, i) => String(i));
    expectGolden(
      'confusion.svg',
      heatmap({ id: 'golden-confusion', title: 'Confusion matrix', values, rowLabels: labels, columnLabels: labels, rowTitle: 'true label', columnTitle: 'predicted', diagonal: true }),
    );
  });
});
