import { differingSettings } from './config-paths.js';
import { escapeHtml } from './escape.js';
import { formatDuration, formatPercent, formatSignificant } from './format.js';
import { figure, htmlDocument, paragraph, section, statusBadge, swatch, table, type CellLike } from './html-parts.js';
import { lineChart, type LineSeries } from './line-chart.js';
import type { ComparedRun, EpochMetrics, SplitMetrics } from './report-data.js';
import { totalSeconds } from './run-summary.js';

export interface ComparisonOptions {
  /** The page's heading and <title> (default "Run comparison"). */
  readonly title?: string;
}

const CHART_WIDTH = 520;

/**
 * Several runs on one self-contained HTML page: their curves overlaid (run i keeps colour i
 * everywhere), the settings that differ between their configs, and their final figures.
 */
export function renderComparison(runs: readonly ComparedRun[], options: ComparisonOptions = {}): string {
  const title = options.title ?? 'Run comparison';
  const header = `<header class="sn-card">
<p class="sn-kicker">scratchnet run comparison</p>
<h1>${escapeHtml(title)}</h1>
<p class="sn-muted">${runs.length === 1 ? '1 run' : `${runs.length} runs`}</p>
</header>`;
  if (runs.length === 0) return htmlDocument(title, `${header}\n${section('runs', 'Runs', paragraph('No runs to compare.'))}`);
  return htmlDocument(title, [header, curves(runs), figuresTable(runs), settingsTable(runs)].join('\n'));
}

function curves(runs: readonly ComparedRun[]): string {
  const trained = runs.filter((run) => run.epochs.length > 0);
  if (trained.length === 0) return section('curves', 'Curves', paragraph('None of the runs finished an epoch, so there are no curves to draw.'));
  // Overlaying validation curves for some runs and training curves for others would compare
  // different things, so one run without validation switches the whole chart to training.
  const validation = trained.every((run) => run.epochs.some((e) => e.validation !== undefined));
  const split = validation ? 'validation' : 'training';
  const pick = (e: EpochMetrics): SplitMetrics | undefined => (validation ? e.validation : e.train);
  const series = (metric: (m: SplitMetrics) => number): LineSeries[] =>
    runs.map((run, i) => ({
      name: run.name,
      colour: i,
      points: run.epochs.flatMap((e) => {
        const m = pick(e);
        return m === undefined ? [] : [[e.epoch, metric(m)] as const];
      }),
    }));
  const note = validation
    ? 'Validation figures: every run has a validation set.'
    : 'Training figures: not every run has a validation set.';
  const accuracy = lineChart({ id: 'chart-compare-accuracy', title: `${split} accuracy per epoch`, series: series((m) => m.accuracy), yLabel: 'accuracy', yFormat: 'percent', width: CHART_WIDTH });
  const loss = lineChart({ id: 'chart-compare-loss', title: `${split} loss per epoch`, series: series((m) => m.loss), yLabel: 'loss', width: CHART_WIDTH });
  const skipped = runs.length - trained.length;
  const skippedNote = skipped === 0 ? '' : ` ${skipped === 1 ? 'One run has' : `${skipped} runs have`} no finished epoch and no curve.`;
  return section(
    'curves',
    'Curves',
    `${paragraph(note + skippedNote)}\n<div class="sn-figures">\n${figure(`${capitalise(split)} accuracy`, accuracy)}\n${figure(`${capitalise(split)} loss`, loss)}\n</div>`,
  );
}

function runCell(run: ComparedRun, i: number): CellLike {
  return { html: `${swatch(i)}${escapeHtml(run.name)}<br><code class="sn-muted">${escapeHtml(run.runDir)}</code>` };
}

function figuresTable(runs: readonly ComparedRun[]): string {
  const last = runs.map((run) => run.epochs.at(-1));
  const trainAccuracy = last.map((e) => e?.train.accuracy);
  const validationAccuracy = last.map((e) => e?.validation?.accuracy);
  const testAccuracy = runs.map((run) => run.test?.accuracy);
  const testLoss = runs.map((run) => run.test?.loss);
  const seconds = runs.map((run) => totalSeconds(run));
  const column = (values: readonly (number | undefined)[], show: (v: number) => string, best?: 'max' | 'min'): CellLike[] => {
    const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    const target = best === undefined || finite.length < 2 ? undefined : best === 'max' ? Math.max(...finite) : Math.min(...finite);
    return values.map((v) => ({ text: v === undefined ? '—' : show(v), numeric: true, ...(v === target && v !== undefined ? { className: 'sn-best' } : {}) }));
  };
  const columns = [
    column(trainAccuracy, (v) => formatPercent(v)),
    column(validationAccuracy, (v) => formatPercent(v), 'max'),
    column(testAccuracy, (v) => formatPercent(v), 'max'),
    column(testLoss, (v) => formatSignificant(v), 'min'),
    column(seconds, formatDuration),
  ];
  const rows = runs.map((run, i): CellLike[] => [
    runCell(run, i),
    { html: statusBadge(run.status) },
    { text: String(run.epochs.length), numeric: true },
    ...columns.map((cells) => cells[i]!),
  ]);
  const head: CellLike[] = ['run', 'status', { text: 'epochs', numeric: true }, ...['final training accuracy', 'final validation accuracy', 'test accuracy', 'test loss', 'total time'].map((text) => ({ text, numeric: true }))];
  return section('figures', 'Final figures', `${table(head, rows)}\n${paragraph('Bold: the best value in its column.')}`);
}

function settingsTable(runs: readonly ComparedRun[]): string {
  const differing = differingSettings(runs.map((run) => run.config)).filter((setting) => setting.path !== 'name');
  const value = (text: string | undefined): CellLike => (text === undefined ? { text: 'not set', className: 'sn-muted' } : text);
  const head: CellLike[] = ['setting', ...runs.map((run, i) => ({ html: `${swatch(i)}${escapeHtml(run.name)}` }))];
  const rows: CellLike[][] = [
    [{ html: '<code>name</code>' }, ...runs.map((run) => run.name)],
    ...differing.map((setting) => [{ html: `<code>${escapeHtml(setting.path)}</code>` }, ...setting.values.map(value)]),
  ];
  const note =
    differing.length === 0
      ? 'Apart from their names, the runs have the same settings.'
      : `${differing.length === 1 ? 'One setting differs' : `${differing.length} settings differ`}; settings shared by every run are left out.`;
  return section('settings', 'Settings that differ', `${paragraph(note)}\n${table(head, rows)}`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
