import { escapeHtml } from './escape.js';
import { formatCount, formatDuration, formatPercent, formatShape } from './format.js';
import { facts, paragraph, section, statusBadge, table, type CellLike } from './html-parts.js';
import type { RunReport } from './report-data.js';
import { bestValidationEpoch, meanEpochSeconds, samplesPerSecond, totalSeconds } from './run-summary.js';

/** Name, status, note and the headline figures. */
export function runHeader(report: RunReport): string {
  const best = bestValidationEpoch(report.epochs);
  const last = report.epochs.at(-1);
  const seconds = totalSeconds(report);
  const stats: [string, CellLike][] = [];
  if (report.test !== undefined) stats.push(['Test accuracy', formatPercent(report.test.accuracy)]);
  if (best !== undefined) {
    stats.push(['Best validation accuracy', { html: `${escapeHtml(formatPercent(best.validation!.accuracy))} <span class="sn-muted">epoch ${best.epoch}</span>` }]);
  } else if (last !== undefined) {
    stats.push(['Final training accuracy', formatPercent(last.train.accuracy)]);
  }
  stats.push(['Epochs', `${report.epochs.length} of ${report.plannedEpochs}`]);
  if (seconds !== undefined) stats.push(['Training time', formatDuration(seconds)]);

  return `<header class="sn-card">
<p class="sn-kicker">scratchnet run report</p>
<h1>${escapeHtml(report.name)}${statusBadge(report.status)}</h1>
<p class="sn-muted"><code>${escapeHtml(report.runDir)}</code></p>
${report.note === undefined || report.note === '' ? '' : `<p class="sn-note" role="note">${escapeHtml(report.note)}</p>`}
${facts(stats, 'sn-stats')}
</header>`;
}

/** Seed, machine, timing and the package versions. */
export function runFacts(report: RunReport): string {
  const perEpoch = meanEpochSeconds(report.epochs);
  const seconds = totalSeconds(report);
  const throughput = samplesPerSecond(report);
  const { machine } = report;
  const entries: [string, string][] = [
    ['Run folder', report.runDir],
    ['Status', report.status],
    ['Seed', String(report.seed)],
  ];
  if (report.createdAt !== undefined) entries.push(['Created', report.createdAt]);
  entries.push(['Backend', report.backend], ['Threads', String(report.threads)]);
  if (machine !== undefined) {
    const cpu = machine.cpuModel === undefined ? '' : ` · ${machine.cpuModel}`;
    entries.push(['Machine', `${machine.platform} ${machine.arch} · ${machine.cpus} CPUs${cpu}`]);
  }
  entries.push(['Input shape', formatShape(report.inputShape)]);
  if (perEpoch !== undefined) entries.push(['Time per epoch', formatDuration(perEpoch)]);
  if (seconds !== undefined) entries.push(['Total time', formatDuration(seconds)]);
  if (throughput !== undefined) entries.push(['Samples per second', formatCount(throughput)]);

  const versions = Object.entries(report.versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const versionTable =
    versions.length === 0
      ? ''
      : `<details>\n<summary>Versions (${versions.length})</summary>\n${table(['package', 'version'], versions.map(([name, version]) => [name, version]))}\n</details>`;
  return section('run', 'Run', `${facts(entries)}\n${versionTable}`);
}

/** The resolved config, folded away until asked for. */
export function runConfig(report: RunReport): string {
  const body =
    report.configYaml.trim() === ''
      ? paragraph('The run folder has no resolved config.')
      : `<details>\n<summary>config.resolved.yaml (${formatCount(report.configYaml.replace(/\n$/, '').split('\n').length)} lines)</summary>\n<pre><code>${escapeHtml(report.configYaml)}</code></pre>\n</details>`;
  return section('config', 'Configuration', body);
}
