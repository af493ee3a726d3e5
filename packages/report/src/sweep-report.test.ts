import { describe, expect, it } from 'vitest';
import type { SweepReportData, SweepTrialSummary } from './sweep-report-data.js';
import { renderSweepReport, reportHref } from './sweep-report.js';
import { INITS, accuracyCurve, lossTrial, syntheticSweep } from './test-sweep.js';
import { badCoordinates } from './test-svg.js';

/** The HTML of one section of the report, by its id. */
function sectionHtml(html: string, id: string): string {
  const match = new RegExp(`<section class="sn-card" id="${id}"[\\s\\S]*?</section>`).exec(html);
  if (match === null) throw new Error(`no section #${id}`);
  return match[0];
}

const sectionIds = (html: string): string[] => [...html.matchAll(/<section class="sn-card" id="([^"]+)"/g)].map((m) => m[1]!);
/** Trial ids in the order of the trials table's rows. */
const tableOrder = (html: string): string[] => [...sectionHtml(html, 'trials').matchAll(/<tr><th scope="row"[^>]*>[^<]*<\/th><td>(?:<a [^>]*>)?<strong>([^<]+)<\/strong>/g)].map((m) => m[1]!);
const lineCharts = (html: string): string[] => [...html.matchAll(/<svg id="([^"]+)" class="sn-chart sn-line-chart"/g)].map((m) => m[1]!);

function lossSweep(trials: readonly SweepTrialSummary[], overrides: Partial<SweepReportData> = {}): SweepReportData {
  return syntheticSweep({ metric: { name: 'validation.loss', goal: 'minimize' }, parameters: ['lr'], trials, earlyTermination: undefined, ...overrides });
}

describe('renderSweepReport: a grid sweep maximising accuracy', () => {
  const data = syntheticSweep();
  const html = renderSweepReport(data);

  it('is a complete document with its sections in order', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>mnist-init-sweep · scratchnet sweep report</title>');
    expect(sectionIds(html)).toEqual(['trials', 'best-so-far', 'parallel', 'by-value', 'top-curves']);
    expect(html.indexOf('<header')).toBeLessThan(html.indexOf('id="trials"'));
  });

  it('has a header with method, base, metric and goal, the rule, the counts and the created time', () => {
    const header = /<header[\s\S]*?<\/header>/.exec(html)![0];
    for (const fact of [
      '<dt>Method</dt><dd>grid (every combination)</dd>',
      '<dt>Base config</dt><dd><code>configs/mnist-relu-softmax.yaml</code></dd>',
      '<dt>Metric</dt><dd><code>validation.accuracy</code>, maximize (higher is better)</dd>',
      '<dt>Early termination</dt><dd>median rule: stop a trial below the median',
      '<dt>Created</dt><dd>2025-03-01T12:00:00.000Z</dd>',
      '<dt>Trials</dt><dd>15</dd>',
      '<dt>Completed</dt><dd>11</dd>',
      '<dt>Pruned</dt><dd>1</dd>',
      '<dt>Failed</dt><dd>2</dd>',
      '<dt>Other</dt><dd>1 <span class="sn-muted">1 running</span></dd>',
      '<summary>Versions (2)</summary>',
    ]) {
      expect(header).toContain(fact);
    }
  });

  it('names the best trial with its parameter values and its value as a percentage', () => {
    // t013: the "normal" initialiser at rate 0.001, the highest cap among the trials that finished.
    const value = Math.max(...accuracyCurve(8, 0.9 + 0.012 * 4, 1.5));
    expect(html).toContain(
      '<p class="sn-best-trial"><strong>Best trial:</strong> <a href="trials/t013/report.html"><strong>t013</strong></a> ' +
        `(<code>schedule.learningRate</code> = 0.001, <code>model.layers[0].weightInit</code> = normal): <code>validation.accuracy</code> <strong>${(value * 100).toFixed(2)}%</strong></p>`,
    );
  });

  it('ranks the trials highest first, trials without a value last in sweep order', () => {
    const order = tableOrder(html);
    expect(order).toHaveLength(15);
    expect(order[0]).toBe('t013');
    expect(order.slice(-2)).toEqual(['t012', 't014']);
    const values = order.slice(0, -2).map((id) => data.trials.find((t) => t.id === id)!.value!);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('shows status details, parameter values, percentages, epochs and times in the table', () => {
    const trials = sectionHtml(html, 'trials');
    expect(trials).toContain('<th scope="col"><code>model.layers[0].weightInit</code></th>');
    expect(trials).toContain('<td>pruned at epoch 3</td>');
    expect(trials).toContain('<td>failed<span class="sn-detail">out of memory</span></td>');
    expect(trials).toMatch(/<strong>t014<\/strong><\/a><\/td><td>failed<span class="sn-detail">training diverged at epoch 2<\/span><\/td><td>0.03<\/td><td>normal<\/td><td class="sn-num">diverged<\/td>/);
    expect(trials).toMatch(/<th scope="row" class="sn-num">1<\/th><td><a href="trials\/t013\/report.html"><strong>t013<\/strong><\/a><\/td><td>completed<\/td><td>0.001<\/td><td>normal<\/td><td class="sn-num sn-best">9\d\.\d\d%<\/td><td class="sn-num">9\d\.\d\d%<\/td><td class="sn-num">8<\/td><td class="sn-num">42.0 s<\/td><\/tr>/);
    expect(trials).toMatch(/<th scope="row" class="sn-num">—<\/th><td><strong>t012<\/strong><\/td>/);
  });

  it('links a trial to its report only when it has one', () => {
    expect(html).toContain('<a href="trials/t001/report.html">');
    expect(html).not.toContain('trials/t012/');
    expect([...html.matchAll(/<a href=/g)]).toHaveLength(14 + 1); // 14 trials with a report, plus the best-trial line
  });

  it('draws the best-so-far, by-value and top-5 line charts and the parallel coordinates', () => {
    expect(lineCharts(html)).toEqual(['chart-sweep-best-so-far', 'chart-sweep-by-value-1', 'chart-sweep-by-value-2', 'chart-sweep-top-curves']);
    expect(html).toContain('<svg id="chart-sweep-parallel" class="sn-chart sn-parallel"');
    const best = sectionHtml(html, 'best-so-far');
    expect(best).toContain('>best: t013</text>');
    expect(best).toContain('>trial</text>');
    // 13 trials with a value; failed t012 and diverged t014 leave gaps and draw no dot.
    expect(best.match(/<circle class="sn-dot"[^>]*><title>each trial/g)).toHaveLength(13);
  });

  it('colours the parallel coordinates by the metric, best last, and uses a log axis for the learning rate', () => {
    const parallel = sectionHtml(html, 'parallel');
    const titles = [...parallel.matchAll(/<polyline [^>]*><title>(t\d+):/g)].map((m) => m[1]);
    expect(titles).toHaveLength(13);
    expect(titles.at(-1)).toBe('t013');
    expect(parallel).toContain('schedule.learningRate: 0.001 to 0.3, log scale.');
    expect(parallel).toContain(`model.layers[0].weightInit: 5 categories (${INITS.join(', ')}).`);
    expect(parallel).toContain('(2 without one are left out)');
  });

  it('groups the 5-initialiser parameter with its mean curves and table', () => {
    const byValue = sectionHtml(html, 'by-value');
    expect(byValue).toContain('<h3><code>model.layers[0].weightInit</code></h3>');
    expect(byValue).toContain('the trials with that value that reached the epoch');
    const rows = [...byValue.matchAll(/<svg class="sn-swatch[^>]*>.*?<\/svg>([^<]+)<\/th><td class="sn-num">(\d+)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([['0.001', '5'], ['0.03', '5'], ['0.3', '5'], ...INITS.map((init) => [init, '3'])]);
  });

  it('has no NaN or infinity in any SVG coordinate, though one trial diverged', () => {
    expect(badCoordinates(html)).toEqual([]);
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});

describe('renderSweepReport: sorting and formatting a loss', () => {
  const trials = [lossTrial(0, 0.5, { lr: 0.1 }), lossTrial(1, 0.123456, { lr: 0.01 }), lossTrial(2, undefined, { lr: 0.3 }), lossTrial(3, 2.5, { lr: 1 })];
  const html = renderSweepReport(lossSweep(trials));

  it('sorts lowest first when minimising', () => {
    expect(tableOrder(html)).toEqual(['t002', 't001', 't004', 't003']);
  });

  it('shows losses with 4 significant digits, not as percentages', () => {
    expect(html).toContain('<code>validation.loss</code> <strong>0.1235</strong>');
    expect(sectionHtml(html, 'trials')).toContain('<td class="sn-num">2.500</td>');
    expect(html).toContain('<dt>Metric</dt><dd><code>validation.loss</code>, minimize (lower is better)</dd>');
    expect(html).toContain('<dt>Early termination</dt><dd>none</dd>');
    expect(/<main[\s\S]*<\/main>/.exec(html)![0]).not.toMatch(/\d%/);
  });
});

describe('renderSweepReport: edge cases', () => {
  it('says so when the sweep has no trials', () => {
    const html = renderSweepReport(lossSweep([]));
    expect(sectionHtml(html, 'trials')).toContain('The sweep has no trials yet.');
    expect(sectionHtml(html, 'charts')).toContain('No trial has a value for validation.loss yet, so there are no charts.');
    expect(html).not.toContain('<svg id=');
    expect(html).toContain('<strong>Best trial:</strong> none yet');
  });

  it('lists trials but draws no chart when no trial has a finite value', () => {
    const html = renderSweepReport(lossSweep([lossTrial(0, undefined), lossTrial(1, Number.NaN)]));
    expect(tableOrder(html)).toEqual(['t001', 't002']);
    expect(sectionIds(html)).toEqual(['trials', 'charts']);
    expect(html).not.toContain('<svg id=');
    expect(sectionHtml(html, 'trials')).toContain('>diverged</td>');
  });

  it('draws one trial', () => {
    const html = renderSweepReport(lossSweep([lossTrial(0, 0.3, { lr: 0.1 })]));
    expect(sectionIds(html)).toEqual(['trials', 'best-so-far', 'parallel', 'by-value', 'top-curves']);
    expect(sectionHtml(html, 'by-value')).toContain('Not grouped (only parameters with 2 to 10 distinct values are): lr (one value).');
    expect(sectionHtml(html, 'top-curves')).toContain('The best trial');
    expect(badCoordinates(html)).toEqual([]);
  });

  it('handles equal values everywhere without dividing by zero', () => {
    const html = renderSweepReport(lossSweep([0, 1, 2].map((k) => lossTrial(k, 0.25, { lr: 0.1 }))));
    expect(badCoordinates(html)).toEqual([]);
    expect(tableOrder(html)).toEqual(['t001', 't002', 't003']);
    expect(sectionHtml(html, 'trials').match(/<th scope="row" class="sn-num">1<\/th>/g)).toHaveLength(3);
  });

  it('draws 150 trials of a random sweep, leaving continuous parameters out of the by-value groups', () => {
    const trials = Array.from({ length: 150 }, (_, k) => lossTrial(k, 0.1 + ((k * 37) % 101) / 100, { lr: 10 ** (-4 + ((k * 13) % 97) / 32), width: [32, 64, 128][k % 3] }));
    const html = renderSweepReport(lossSweep(trials, { method: 'random', parameters: ['lr', 'width'] }));
    expect(tableOrder(html)).toHaveLength(150);
    expect([...sectionHtml(html, 'parallel').matchAll(/<polyline /g)]).toHaveLength(150);
    expect(sectionHtml(html, 'by-value')).toContain('lr (97 values)');
    expect(lineCharts(html)).toEqual(['chart-sweep-best-so-far', 'chart-sweep-by-value-2', 'chart-sweep-top-curves']);
    expect(badCoordinates(html)).toEqual([]);
    expect(new TextEncoder().encode(html).length).toBeLessThan(1024 * 1024);
  });
});

describe('reportHref', () => {
  it('keeps relative paths, percent-encoding each segment', () => {
    expect(reportHref('trials/t001/report.html')).toBe('trials/t001/report.html');
    expect(reportHref('trials\\t 1#?/report.html')).toBe('trials/t%201%23%3F/report.html');
    expect(reportHref('../other/report.html')).toBe('../other/report.html');
  });

  it('refuses schemes, rooted paths and empty text', () => {
    for (const bad of ['javascript:alert(1)', 'https://example.org/x', '//example.org/x', '/etc/passwd', 'C:/x', '  ', undefined]) expect(reportHref(bad), String(bad)).toBeUndefined();
  });
});
