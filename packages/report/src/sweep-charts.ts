// The chart sections of a sweep report: best value so far, parallel coordinates, mean curves by
// parameter value and the top trials' curves. Each assumes at least one trial has a value.
import { escapeHtml } from './escape.js';
import { figure, paragraph, section, swatch, table, type CellLike } from './html-parts.js';
import { lineChart, type LineSeries } from './line-chart.js';
import { parallelCoordinates } from './parallel-coordinates.js';
import type { SweepReportData } from './sweep-report-data.js';
import { bestSoFar, bestTrial, describeValue, formatMetric, groupByValue, hasValue, isPercentMetric, rankTrials } from './sweep-values.js';

/** Parameters with more distinct values than this get no by-value chart (a random sweep's continuous draws). */
export const MAX_GROUPS = 10;
const TOP = 5;
const CHART_WIDTH = 640;
/** A by-value chart shares its row with its table, like the run report's side-by-side charts. */
const GROUP_CHART_WIDTH = 520;
/** Parallel coordinates get the card's whole width: more room between axes. */
const PARALLEL_WIDTH = 880;

function yOptions(metric: string): { yLabel: string; yFormat: 'percent' | 'number' } {
  return { yLabel: metric, yFormat: isPercentMetric(metric) ? 'percent' : 'number' };
}

/** x = trial number in sweep order; the best value so far as a step line, and each trial's own value. */
export function bestSoFarSection(data: SweepReportData): string {
  const { metric } = data;
  const ordered = [...data.trials].sort((a, b) => a.index - b.index);
  const step: [number, number][] = [];
  let previous: number | undefined;
  for (const { trial, best } of bestSoFar(data.trials, metric.goal)) {
    if (best === undefined) continue;
    if (previous !== undefined && best !== previous) step.push([trial, previous]);
    step.push([trial, best]);
    previous = best;
  }
  const own = ordered.map((t) => [t.index + 1, hasValue(t) ? t.value : Number.NaN] as const);
  const best = bestTrial(data.trials, metric.goal)!;
  const series: LineSeries[] = [
    { name: 'each trial', colour: 9, points: own },
    { name: 'best so far', colour: 0, points: step },
  ];
  const chart = lineChart({
    id: 'chart-sweep-best-so-far',
    title: `Best ${metric.name} so far, by trial`,
    description:
      `x: trial number in sweep order. "best so far" is the best ${metric.name} among trials 1 to x (a step line); ` +
      `"each trial" joins the trials' own values, with gaps for trials without a value.`,
    series,
    xLabel: 'trial',
    ...yOptions(metric.name),
    marker: { x: best.index + 1, label: `best: ${best.id}` },
    width: CHART_WIDTH,
  });
  return section('best-so-far', 'Best so far', figure(`Best ${metric.name} so far`, chart));
}

/** One axis per parameter and one for the metric; one line per trial with a value, stronger the better. */
export function parallelSection(data: SweepReportData): string {
  const { metric, parameters } = data;
  const valued = rankTrials(data.trials, metric.goal).filter(hasValue);
  const best = valued[0]!;
  const worst = valued[valued.length - 1]!;
  const spread = best.value - worst.value;
  const format = (value: number): string => formatMetric(metric.name, value);
  const chart = parallelCoordinates({
    id: 'chart-sweep-parallel',
    title: `Parameters and ${metric.name}`,
    description: `One line per trial with a value; the better its ${metric.name}, the stronger and thicker its line; the best trial, ${best.id}, is drawn last and thickest.`,
    axes: [...parameters.map((label) => ({ label })), { label: metric.name, format }],
    // In sweep order, so categories appear on their axes in the order the sweep file lists them.
    lines: [...valued].sort((a, b) => a.index - b.index).map((trial) => ({
      name: trial.id,
      values: [...parameters.map((p) => trial.parameters[p]), trial.value],
      strength: spread === 0 ? 1 : (trial.value - worst.value) / spread,
      highlight: trial === best,
    })),
    legend: { weakest: `worst ${format(worst.value)}`, strongest: `best ${format(best.value)}` },
    width: PARALLEL_WIDTH,
  });
  const skipped = data.trials.length - valued.length;
  const note =
    `${valued.length === 1 ? 'One trial' : `${valued.length} trials`} with a value` +
    (skipped === 0 ? '' : ` (${skipped} without one ${skipped === 1 ? 'is' : 'are'} left out)`) +
    `. Numeric axes are logarithmic when every value is positive and the largest is at least 20 times the smallest. Hover a line for its trial and values.`;
  return section('parallel', 'Parallel coordinates', `${paragraph(note)}\n${figure(`Parameters and ${metric.name}`, chart)}`);
}

/** For each parameter with 2..10 values: the mean curve per value and a table of the groups' figures. */
export function byValueSection(data: SweepReportData): string {
  const { metric } = data;
  const parts: string[] = [];
  const skipped: string[] = [];
  data.parameters.forEach((path, p) => {
    const groups = groupByValue(data.trials, path, metric.goal);
    if (groups.length < 2 || groups.length > MAX_GROUPS) {
      skipped.push(`${path} (${groups.length === 1 ? 'one value' : `${groups.length} values`})`);
      return;
    }
    const series: LineSeries[] = groups.map((group, i) => ({ name: group.label, colour: i, points: group.meanCurve.map((v, e) => [e + 1, v] as const) }));
    const chart = lineChart({
      id: `chart-sweep-by-value-${p + 1}`,
      title: `Mean ${metric.name} per epoch by ${path}`,
      description:
        `One line per value of ${path}: at each epoch, the mean ${metric.name} of the trials with that value that reached the epoch ` +
        `(non-finite values left out), so after a trial is pruned or stops, later epochs average the trials still training.`,
      series,
      ...yOptions(metric.name),
      width: GROUP_CHART_WIDTH,
    });
    const bestOfGroups = groups.map((g) => g.best).filter((v): v is number => v !== undefined);
    const top = bestOfGroups.length === 0 ? undefined : metric.goal === 'maximize' ? Math.max(...bestOfGroups) : Math.min(...bestOfGroups);
    const head: CellLike[] = [{ html: `<code>${escapeHtml(path)}</code>` }, { text: 'trials', numeric: true }, { text: 'mean final', numeric: true }, { text: 'best', numeric: true }];
    const rows = groups.map((group, i): CellLike[] => [
      { html: `${swatch(i)}${escapeHtml(group.label)}` },
      { text: String(group.trials.length), numeric: true },
      { text: formatMetric(metric.name, group.meanFinal), numeric: true },
      { text: formatMetric(metric.name, group.best), numeric: true, ...(group.best !== undefined && group.best === top ? { className: 'sn-best' } : {}) },
    ]);
    parts.push(`<h3><code>${escapeHtml(path)}</code></h3>\n<div class="sn-figures">\n${figure(`Mean ${metric.name} by ${path}`, chart)}\n${table(head, rows)}\n</div>`);
  });
  const intro = `Mean final: the mean over a value's trials of their last epoch's ${metric.name}. Best: the best trial value with that value.`;
  const skippedNote =
    skipped.length === 0 ? '' : paragraph(`Not grouped (only parameters with 2 to ${MAX_GROUPS} distinct values are): ${skipped.join(', ')}.`);
  if (parts.length === 0) return section('by-value', 'By parameter value', skippedNote === '' ? paragraph('The sweep has no parameters.') : skippedNote);
  return section('by-value', 'By parameter value', [paragraph(intro), ...parts, skippedNote].filter((s) => s !== '').join('\n'));
}

/** The metric per epoch of the best five trials. */
export function topCurvesSection(data: SweepReportData): string {
  const { metric, parameters } = data;
  const top = rankTrials(data.trials, metric.goal)
    .filter((t) => hasValue(t) && t.curve.length > 0)
    .slice(0, TOP);
  if (top.length === 0) return section('top-curves', 'Top trials', paragraph('No trial with a value recorded a curve.'));
  const series: LineSeries[] = top.map((trial, i) => {
    const values = parameters.map((p) => describeValue(trial.parameters[p])).join(', ');
    const name = values !== '' && values.length <= 40 ? `${trial.id} (${values})` : trial.id;
    return { name, colour: i, points: trial.curve.map((v, e) => [e + 1, v] as const) };
  });
  const heading = top.length === 1 ? 'The best trial' : `Top ${top.length} trials`;
  const chart = lineChart({
    id: 'chart-sweep-top-curves',
    title: `${metric.name} per epoch, ${heading.toLowerCase()}`,
    description: `Best first: ${top.map((t) => `${t.id} ${formatMetric(metric.name, t.value)}`).join(', ')}.`,
    series,
    ...yOptions(metric.name),
    width: CHART_WIDTH,
  });
  return section('top-curves', heading, figure(`${metric.name} per epoch`, chart));
}
