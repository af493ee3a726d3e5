import { htmlDocument } from './html-parts.js';
import type { RunReport } from './report-data.js';
import { runCurves } from './run-curves.js';
import { runConfig, runFacts, runHeader } from './run-header.js';
import { augmentedSection, firstLayerSection, layerSection } from './run-model.js';
import { runTestResults } from './run-test-results.js';

/**
 * One run as a complete, self-contained HTML document: inline CSS, inline SVG charts and
 * data: PNGs; no script and no URL, so it opens from disk, offline, in any browser.
 * Sections without data (no test set, an interrupted run, no epoch yet) say why instead.
 */
export function renderRunReport(report: RunReport): string {
  const body = [
    runHeader(report),
    runFacts(report),
    runConfig(report),
    runCurves(report),
    runTestResults(report.test, report.status),
    augmentedSection(report.augmented),
    firstLayerSection(report.firstLayer),
    layerSection(report.inputShape, report.layers),
  ].filter((part) => part !== '');
  return htmlDocument(`${report.name} · scratchnet run report`, body.join('\n'));
}
