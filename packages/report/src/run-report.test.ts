import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from './report-data.js';
import { renderRunReport } from './run-report.js';
import { syntheticEpochs, syntheticReport } from './test-synthetic.js';

/** The HTML of one section of the report, by its id. */
function sectionHtml(html: string, id: string): string {
  const match = new RegExp(`<section class="sn-card" id="${id}"[\\s\\S]*?</section>`).exec(html);
  if (match === null) throw new Error(`no section #${id}`);
  return match[0];
}

const lineCharts = (html: string): string[] => [...html.matchAll(/<svg id="([^"]+)" class="sn-chart sn-line-chart"/g)].map((m) => m[1]!);

describe('renderRunReport: a completed run', () => {
  const report = syntheticReport();
  const html = renderRunReport(report);

  it('is a complete HTML document titled with the run name', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>mnist-relu-softmax · scratchnet run report</title>');
    expect(html.trimEnd()).toMatch(/<\/html>$/);
  });

  it('has a header with name, status badge and the headline figures', () => {
    expect(html).toContain('<h1>mnist-relu-softmax<span class="sn-badge sn-status-completed">completed</span></h1>');
    expect(html).toMatch(/<dt>Test accuracy<\/dt><dd>9\d\.\d\d%<\/dd>/);
    expect(html).toContain('<dt>Epochs</dt><dd>30 of 30</dd>');
  });

  it('lists the run facts, with versions and config folded in <details>', () => {
    const run = sectionHtml(html, 'run');
    for (const fact of ['<dt>Seed</dt><dd>7</dd>', '<dt>Backend</dt><dd>wasm-simd</dd>', '<dt>Threads</dt><dd>4</dd>', '<dt>Total time</dt><dd>44.5 s</dd>', '<dt>Samples per second</dt><dd>41,250</dd>', '<dt>Time per epoch</dt><dd>1.43 s</dd>', 'linux x64 · 8 CPUs · Example CPU @ 3.0GHz']) {
      expect(run).toContain(fact);
    }
    expect(run).toMatch(/<details>\n<summary>Versions \(3\)<\/summary>[\s\S]*@scratchnet\/tensor/);
    expect(sectionHtml(html, 'config')).toMatch(/<details>\n<summary>config.resolved.yaml \(9 lines\)<\/summary>\n<pre><code>name: mnist-relu-softmax\n/);
  });

  it('draws loss and accuracy with the best validation epoch marked, and the decaying rate on a log axis', () => {
    const curves = sectionHtml(html, 'curves');
    expect(lineCharts(curves)).toEqual(['chart-loss', 'chart-accuracy', 'chart-learning-rate']);
    // The synthetic validation accuracy peaks at epoch 18.
    expect(curves).toContain('Best validation accuracy 98.32% at epoch 18');
    expect(curves.match(/>best validation: epoch 18<\/text>/g)).toHaveLength(2);
    expect(curves).toContain('Learning rate (log scale)');
    expect(curves).toContain('The y axis is logarithmic.');
  });

  it('shows the test results: figures, confusion heatmap, per-class table and sample grids', () => {
    const test = sectionHtml(html, 'test');
    expect(test).toContain('<svg id="chart-confusion" class="sn-chart sn-heatmap"');
    expect(test.match(/<tr><th scope="row">\d<\/th>/g)).toHaveLength(10);
    expect(test).toContain('<th scope="row">macro average</th>');
    expect(test).toMatch(/<h3>Misclassified \(100 of [\d,]+, most confident first\)<\/h3>/);
    const grids = [...test.matchAll(/<ul class="sn-images"[\s\S]*?<\/ul>/g)].map((m) => m[0].match(/<img /g)?.length);
    expect(grids).toEqual([100, 20]);
    expect(test).toMatch(/alt="Test sample \d+: a \d the model read as \d with \d+\.\d% confidence"/);
  });

  it('shows the first layer and the layer table with the parameter total', () => {
    expect(sectionHtml(html, 'first-layer').match(/<img /g)).toHaveLength(64);
    expect(sectionHtml(html, 'first-layer')).toContain('each unit’s 784 input weights');
    const layers = sectionHtml(html, 'layers');
    expect(layers).toContain('<tr><th scope="row">0</th><td>dense</td><td>64</td><td class="sn-num">50,240</td></tr>');
    expect(layers).toContain('<td class="sn-num">50,890</td>');
  });

  it('renders the same bytes every time', () => {
    expect(renderRunReport(syntheticReport())).toBe(html);
  });
});

describe('renderRunReport: runs with less to show', () => {
  it('an interrupted run without test results says why instead of showing an empty section', () => {
    const html = renderRunReport(syntheticReport({ status: 'interrupted', test: undefined, epochs: syntheticEpochs(7, { plannedEpochs: 30 }) }));
    expect(html).toContain('sn-status-interrupted');
    expect(sectionHtml(html, 'test')).toContain('No test results: the run was interrupted before its test evaluation.');
    expect(html).toContain('<dt>Epochs</dt><dd>7 of 30</dd>');
    expect(html).not.toContain('chart-confusion');
  });

  it('a run without validation draws training curves only, with no marker', () => {
    const html = renderRunReport(syntheticReport({ epochs: syntheticEpochs(10, { validation: false }) }));
    const curves = sectionHtml(html, 'curves');
    expect(curves).toContain('No validation set: the curves show the training figures only.');
    expect(curves).not.toContain('>validation</text>');
    expect(curves).not.toContain('sn-marker');
    expect(html).toContain('<dt>Final training accuracy</dt>');
  });

  it('a one-epoch run draws single points and says so; a constant learning rate is a sentence', () => {
    const html = renderRunReport(syntheticReport({ epochs: syntheticEpochs(1) }));
    const curves = sectionHtml(html, 'curves');
    expect(lineCharts(curves)).toEqual(['chart-loss', 'chart-accuracy']);
    expect(curves).toContain('One epoch so far: each curve is a single point.');
    expect(curves).toContain('0.1000 in every epoch.');
  });

  it('a learning rate spanning less than two decades keeps a linear axis', () => {
    const epochs = syntheticEpochs(5).map((e, i): EpochMetrics => ({ ...e, learningRate: 0.1 - i * 0.02 }));
    const curves = sectionHtml(renderRunReport(syntheticReport({ epochs })), 'curves');
    expect(curves).toContain('<figcaption>Learning rate</figcaption>');
    expect(curves).not.toContain('logarithmic');
  });

  it('a run killed before its first epoch says there is nothing to draw', () => {
    const html = renderRunReport(syntheticReport({ status: 'interrupted', epochs: [], test: undefined, totalSeconds: undefined, samplesPerSecond: undefined }));
    expect(sectionHtml(html, 'curves')).toContain('The run stopped before its first epoch finished, so there are no curves to draw.');
    expect(lineCharts(html)).toEqual([]);
    expect(html).toContain('<dt>Epochs</dt><dd>0 of 30</dd>');
    expect(html).not.toContain('Time per epoch');
    expect(html).not.toContain('Training time');
  });

  it('a diverged run shows its note and breaks its curves at the non-finite losses', () => {
    const epochs = syntheticEpochs(4).map((e): EpochMetrics => (e.epoch < 3 ? e : { ...e, train: { loss: Number.NaN, accuracy: 0.1 }, validation: { loss: Infinity, accuracy: 0.1 } }));
    const html = renderRunReport(syntheticReport({ status: 'diverged', note: 'The loss became NaN at epoch 3; lower the learning rate.', epochs, test: undefined }));
    expect(html).toContain('sn-status-diverged');
    expect(html).toContain('<p class="sn-note" role="note">The loss became NaN at epoch 3; lower the learning rate.</p>');
    expect(sectionHtml(html, 'test')).toContain('the run diverged before its test evaluation');
    const loss = /<svg id="chart-loss"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(loss).not.toMatch(/="[^"]*(NaN|Infinity)/);
    expect(loss.match(/<circle /g)).toHaveLength(4);
  });

  it('a run without first-layer view or layers leaves those sections out', () => {
    const html = renderRunReport(syntheticReport({ firstLayer: undefined, layers: [] }));
    expect(html).not.toContain('id="first-layer"');
    expect(html).not.toContain('id="layers"');
    expect(html).not.toContain('id="augmented"');
  });

  it('shows augmented training digits in groups, the original first, when the run augments', () => {
    const image = { width: 2, height: 2, pixels: [0, 1, 1, 0] };
    const rows = [
      [image, image, image],
      [image, image, image],
    ];
    const html = renderRunReport(syntheticReport({ augmented: { caption: 'Two digits, two versions each.', rows } }));
    const section = sectionHtml(html, 'augmented');
    expect(section).toContain('<h2 id="augmented-h">Augmented training samples</h2>');
    expect(section).toContain('Two digits, two versions each.');
    expect(section.match(/<img /g)).toHaveLength(6);
    expect(section.match(/<figcaption>original<\/figcaption>/g)).toHaveLength(2);
    expect(section).toContain('alt="training digit 2, augmented version 2"');
    // Between the test results and the first layer.
    expect(html.indexOf('id="augmented"')).toBeGreaterThan(html.indexOf('id="test"'));
    expect(html.indexOf('id="augmented"')).toBeLessThan(html.indexOf('id="first-layer"'));
  });
});
