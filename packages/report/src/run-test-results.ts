import { macroAverages, perClassMetrics } from './class-metrics.js';
import { formatCount, formatPercent, formatSignificant } from './format.js';
import { heatmap } from './heatmap.js';
import { facts, figure, paragraph, section, table, type CellLike } from './html-parts.js';
import { imageGrid } from './image-grid.js';
import type { PredictedSample, RunStatus, TestResults } from './report-data.js';

/** Accuracy, loss, the confusion heatmap, per-class figures and the sample grids. */
export function runTestResults(test: TestResults | undefined, status: RunStatus): string {
  if (test === undefined) return section('test', 'Test results', paragraph(missingReason(status)));
  const { confusion, classNames } = test;
  const metrics = perClassMetrics(confusion, classNames);
  const macro = macroAverages(metrics);
  const wrong = confusion.reduce((sum, row, r) => sum + row.reduce((s, v, c) => (r === c ? s : s + v), 0), 0);

  const stats = facts(
    [
      ['Accuracy', formatPercent(test.accuracy)],
      ['Loss', formatSignificant(test.loss)],
      ['Test samples', formatCount(test.count)],
      ['Misclassified', formatCount(wrong)],
    ],
    'sn-stats',
  );
  const matrix = heatmap({
    id: 'chart-confusion',
    title: 'Confusion matrix',
    description: 'Rows are the true labels, columns the predicted ones; each cell counts test samples.',
    values: confusion,
    rowLabels: classNames,
    columnLabels: classNames,
    rowTitle: 'true label',
    columnTitle: 'predicted',
    diagonal: true,
  });
  const ratio = (value: number | null): CellLike => ({ text: value === null ? '—' : formatPercent(value, 1), numeric: true });
  const perClass = table(
    ['class', { text: 'samples', numeric: true }, { text: 'predicted', numeric: true }, { text: 'precision', numeric: true }, { text: 'recall', numeric: true }, { text: 'F1', numeric: true }],
    metrics.map((m) => [
      m.className,
      { text: formatCount(m.support), numeric: true },
      { text: formatCount(m.predicted), numeric: true },
      ratio(m.precision),
      ratio(m.recall),
      ratio(m.f1),
    ]),
    ['macro average', '', '', ratio(macro.precision), ratio(macro.recall), ratio(macro.f1)],
  );

  const parts = [
    stats,
    `<div class="sn-figures">\n${figure('Confusion matrix (rows: true label, columns: predicted)', matrix)}\n${figure('Precision, recall and F1 per class', perClass)}\n</div>`,
    samples('Misclassified', test.misclassified, wrong, 'No test sample was misclassified.'),
    samples('Most confident correct', test.confidentCorrect, undefined, 'No correct predictions to show.'),
  ];
  return section('test', 'Test results', parts.join('\n'));
}

function missingReason(status: RunStatus): string {
  switch (status) {
    case 'completed':
      return 'This run has no test results (its config has no test set).';
    case 'running':
      return 'No test results yet: the model is evaluated on the test set when training ends.';
    default:
      return `No test results: the run ${status === 'diverged' ? 'diverged' : 'was interrupted'} before its test evaluation.`;
  }
}

function samples(heading: string, list: readonly PredictedSample[], total: number | undefined, none: string): string {
  if (list.length === 0) return `<h3>${heading}</h3>\n${paragraph(none)}`;
  const shown = total !== undefined && total > list.length ? ` (${formatCount(list.length)} of ${formatCount(total)}, most confident first)` : '';
  const grid = imageGrid(
    list.map((sample) => {
      const confidence = confidenceText(sample.confidence);
      const right = sample.label === sample.predicted;
      return {
        image: sample.image,
        caption: right ? sample.label : `${sample.label} → ${sample.predicted}`,
        detail: confidence,
        alt: right
          ? `Test sample ${sample.index}: a ${sample.label}, recognised with ${confidence} confidence`
          : `Test sample ${sample.index}: a ${sample.label} the model read as ${sample.predicted} with ${confidence} confidence`,
      };
    }),
    { label: heading },
  );
  return `<h3>${heading}${shown}</h3>\n${grid}`;
}

/** Probabilities as percentages; a score outside [0, 1] (a model without softmax) as it is. */
function confidenceText(confidence: number): string {
  return confidence >= 0 && confidence <= 1 ? formatPercent(confidence, 1) : formatSignificant(confidence);
}
