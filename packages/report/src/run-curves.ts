import { escapeHtml } from './escape.js';
import { formatPercent, formatSignificant } from './format.js';
import { figure, paragraph, section } from './html-parts.js';
import { lineChart, type ChartMarker, type LineSeries } from './line-chart.js';
import type { EpochMetrics, RunReport, SplitMetrics } from './report-data.js';
import { bestValidationEpoch } from './run-summary.js';

/** Log scale once the learning rate spans two decades: a decayed rate is invisible on a linear axis. */
export const LOG_SCALE_RATIO = 100;
/** Two charts fit side by side in the page's container at about their natural size. */
const CHART_WIDTH = 520;

/** Loss, accuracy and learning rate per epoch, with the best validation epoch marked. */
export function runCurves(report: RunReport): string {
  const { epochs } = report;
  if (epochs.length === 0) {
    const why =
      report.status === 'running'
        ? 'No epoch has finished yet, so there are no curves to draw.'
        : 'The run stopped before its first epoch finished, so there are no curves to draw.';
    return section('curves', 'Training curves', paragraph(why));
  }
  const best = bestValidationEpoch(epochs);
  const marker: ChartMarker | undefined = best === undefined ? undefined : { x: best.epoch, label: `best validation: epoch ${best.epoch}` };
  const notes: string[] = [];
  if (best !== undefined) {
    notes.push(
      `Best validation accuracy ${formatPercent(best.validation!.accuracy)} at epoch ${best.epoch} ` +
        `(validation loss ${formatSignificant(best.validation!.loss)}).`,
    );
  } else {
    notes.push('No validation set: the curves show the training figures only.');
  }
  if (epochs.length === 1) notes.push('One epoch so far: each curve is a single point.');

  const loss = lineChart({
    id: 'chart-loss',
    title: 'Loss per epoch',
    series: splitSeries(epochs, (m) => m.loss),
    yLabel: 'loss',
    width: CHART_WIDTH,
    ...(marker === undefined ? {} : { marker }),
  });
  const accuracy = lineChart({
    id: 'chart-accuracy',
    title: 'Accuracy per epoch',
    series: splitSeries(epochs, (m) => m.accuracy),
    yLabel: 'accuracy',
    yFormat: 'percent',
    width: CHART_WIDTH,
    ...(marker === undefined ? {} : { marker }),
  });
  const figures = [figure('Loss', loss), figure('Accuracy', accuracy), learningRate(epochs)];
  return section(
    'curves',
    'Training curves',
    `<p>${notes.map(escapeHtml).join(' ')}</p>\n<div class="sn-figures">\n${figures.join('\n')}\n</div>`,
  );
}

function splitSeries(epochs: readonly EpochMetrics[], pick: (metrics: SplitMetrics) => number): LineSeries[] {
  const series: LineSeries[] = [{ name: 'training', points: epochs.map((e) => [e.epoch, pick(e.train)] as const) }];
  const validated = epochs.filter((e) => e.validation !== undefined);
  if (validated.length > 0) series.push({ name: 'validation', points: validated.map((e) => [e.epoch, pick(e.validation!)] as const) });
  return series;
}

function learningRate(epochs: readonly EpochMetrics[]): string {
  const rates = epochs.map((e) => e.learningRate).filter(Number.isFinite);
  const min = Math.min(...rates);
  const max = Math.max(...rates);
  if (rates.length === 0) return paragraph('No learning rate was recorded.');
  if (min === max) {
    return figure('Learning rate', paragraph(`${formatSignificant(min)} in every epoch.`, ''));
  }
  const log = min > 0 && max / min >= LOG_SCALE_RATIO;
  return figure(
    log ? 'Learning rate (log scale)' : 'Learning rate',
    lineChart({
      id: 'chart-learning-rate',
      title: 'Learning rate per epoch',
      series: [{ name: 'learning rate', points: epochs.map((e) => [e.epoch, e.learningRate] as const), colour: 4 }],
      yLabel: 'learning rate',
      yScale: log ? 'log' : 'linear',
      width: CHART_WIDTH,
    }),
  );
}
