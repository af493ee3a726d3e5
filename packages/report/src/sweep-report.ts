import { escapeHtml } from './escape.js';
import { formatDuration, formatPercent } from './format.js';
import { facts, htmlDocument, paragraph, section, table, type CellLike } from './html-parts.js';
import { bestSoFarSection, byValueSection, parallelSection, topCurvesSection } from './sweep-charts.js';
import type { SweepReportData, SweepTrialSummary } from './sweep-report-data.js';
import { bestTrial, describeValue, formatMetric, hasValue, rankTrials, ranks } from './sweep-values.js';

/**
 * A hyperparameter sweep as one self-contained HTML document (inline CSS and SVG, no script,
 * no URL except the relative links to the trials' own reports): the sweep's settings and best
 * trial, every trial ranked by the metric, the best value so far, parallel coordinates of
 * parameters against the metric, mean curves per parameter value and the top five curves.
 */
export function renderSweepReport(data: SweepReportData): string {
  const valued = data.trials.filter(hasValue);
  const charts =
    valued.length === 0
      ? [section('charts', 'Charts', paragraph(`No trial has a value for ${data.metric.name} yet, so there are no charts.`))]
      : [bestSoFarSection(data), parallelSection(data), byValueSection(data), topCurvesSection(data)];
  const body = [sweepHeader(data), trialsSection(data), ...charts].filter((part) => part !== '');
  return htmlDocument(`${data.name} · scratchnet sweep report`, body.join('\n'));
}

function goalText(goal: SweepReportData['metric']['goal']): string {
  return goal === 'maximize' ? 'maximize (higher is better)' : 'minimize (lower is better)';
}

/** The counts by status: completed, pruned, failed, and the rest (pending, running, interrupted). */
export function statusCounts(trials: readonly SweepTrialSummary[]): { completed: number; pruned: number; failed: number; other: number } {
  const count = (status: SweepTrialSummary['status']): number => trials.filter((t) => t.status === status).length;
  const completed = count('completed');
  const pruned = count('pruned');
  const failed = count('failed');
  return { completed, pruned, failed, other: trials.length - completed - pruned - failed };
}

function sweepHeader(data: SweepReportData): string {
  const counts = statusCounts(data.trials);
  const others = (['pending', 'running', 'interrupted'] as const)
    .map((status) => [status, data.trials.filter((t) => t.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const entries: [string, CellLike][] = [
    ['Method', data.method === 'grid' ? 'grid (every combination)' : 'random'],
    ['Base config', { html: `<code>${escapeHtml(data.base)}</code>` }],
    ['Metric', { html: `<code>${escapeHtml(data.metric.name)}</code>, ${escapeHtml(goalText(data.metric.goal))}` }],
    ['Early termination', data.earlyTermination === undefined || data.earlyTermination === '' ? 'none' : data.earlyTermination],
    ['Parameters', { html: data.parameters.length === 0 ? 'none' : data.parameters.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ') }],
    ['Created', data.createdAt],
  ];
  const stats: [string, CellLike][] = [
    ['Trials', String(data.trials.length)],
    ['Completed', String(counts.completed)],
    ['Pruned', String(counts.pruned)],
    ['Failed', String(counts.failed)],
    ['Other', others.length === 0 ? '0' : { html: `${counts.other} <span class="sn-muted">${escapeHtml(others.join(', '))}</span>` }],
  ];
  const versions = Object.entries(data.versions ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const versionTable =
    versions.length === 0 ? '' : `<details>\n<summary>Versions (${versions.length})</summary>\n${table(['package', 'version'], versions)}\n</details>`;
  return `<header class="sn-card">
<p class="sn-kicker">scratchnet sweep report</p>
<h1>${escapeHtml(data.name)}</h1>
${facts(entries)}
${facts(stats, 'sn-stats')}
${bestLine(data)}
${versionTable}
</header>`;
}

/** "Best trial: t007 (lr = 0.01, init = xavier): validation.accuracy 97.12%". */
function bestLine(data: SweepReportData): string {
  const best = bestTrial(data.trials, data.metric.goal);
  if (best === undefined) return `<p class="sn-best-trial"><strong>Best trial:</strong> none yet: no trial has a value for <code>${escapeHtml(data.metric.name)}</code>.</p>`;
  const parameters = data.parameters.map((p) => `<code>${escapeHtml(p)}</code> = ${escapeHtml(describeValue(best.parameters[p]))}`);
  return (
    `<p class="sn-best-trial"><strong>Best trial:</strong> ${trialLink(best)}` +
    `${parameters.length === 0 ? '' : ` (${parameters.join(', ')})`}: ` +
    `<code>${escapeHtml(data.metric.name)}</code> <strong>${escapeHtml(formatMetric(data.metric.name, best.value))}</strong></p>`
  );
}

/**
 * A trial's report as a safe relative href: no scheme, not rooted (so never another site or
 * file system root), each segment percent-encoded (so a colon or a control character can never
 * make it a scheme). Undefined when there is none to link.
 */
export function reportHref(report: string | undefined): string | undefined {
  if (report === undefined) return undefined;
  const path = report.trim().replace(/\\/g, '/');
  if (path === '' || path.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(path)) return undefined;
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function trialLink(trial: SweepTrialSummary): string {
  const href = reportHref(trial.report);
  return href === undefined ? `<strong>${escapeHtml(trial.id)}</strong>` : `<a href="${escapeHtml(href)}"><strong>${escapeHtml(trial.id)}</strong></a>`;
}

function statusCell(trial: SweepTrialSummary): CellLike {
  const label = trial.status === 'pruned' ? `pruned at epoch ${trial.prunedAt ?? trial.epochs}` : trial.status;
  const detail = trial.error === undefined || trial.error === '' ? '' : `<span class="sn-detail">${escapeHtml(trial.error)}</span>`;
  return { html: `${escapeHtml(label)}${detail}` };
}

function trialsSection(data: SweepReportData): string {
  const { trials, parameters, metric } = data;
  if (trials.length === 0) return section('trials', 'Trials', paragraph('The sweep has no trials yet.'));
  const ranked = rankTrials(trials, metric.goal);
  const rankOf = ranks(ranked);
  const best = bestTrial(trials, metric.goal);
  const head: CellLike[] = [
    { text: 'rank', numeric: true },
    'trial',
    'status',
    ...parameters.map((p) => ({ html: `<code>${escapeHtml(p)}</code>` })),
    { html: `<code>${escapeHtml(metric.name)}</code>`, numeric: true },
    { text: 'test accuracy', numeric: true },
    { text: 'epochs', numeric: true },
    { text: 'time', numeric: true },
  ];
  const rows = ranked.map((trial, i): CellLike[] => [
    { text: rankOf[i] === undefined ? '—' : String(rankOf[i]), numeric: true },
    { html: trialLink(trial) },
    statusCell(trial),
    ...parameters.map((p) => describeValue(trial.parameters[p])),
    {
      text: formatMetric(metric.name, trial.value),
      numeric: true,
      ...(best !== undefined && trial.value === best.value ? { className: 'sn-best' } : {}),
    },
    { text: trial.test === undefined ? '—' : formatPercent(trial.test.accuracy), numeric: true },
    { text: String(trial.epochs), numeric: true },
    { text: trial.seconds === undefined ? '—' : formatDuration(trial.seconds), numeric: true },
  ]);
  const direction = metric.goal === 'maximize' ? 'highest' : 'lowest';
  const note = `Sorted by ${metric.name}, ${direction} first; trials without a value (not finished, failed or diverged) last, in sweep order. Bold: the best value.`;
  return section('trials', `Trials (${trials.length})`, `${paragraph(note)}\n${table(head, rows)}`);
}
