import { describe, expect, it } from 'vitest';
import { lineChart } from './line-chart.js';

const pathsOf = (svg: string): string[] => [...svg.matchAll(/<path class="sn-line"[^>]* d="([^"]+)"/g)].map((m) => m[1]!);
const yTickLabels = (svg: string): string[] =>
  [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]!);

describe('lineChart', () => {
  it('draws one path and one dot per point for each series, with a legend entry each', () => {
    const svg = lineChart({
      title: 'Loss',
      series: [
        { name: 'training', points: [[1, 0.5], [2, 0.3], [3, 0.2]] },
        { name: 'validation', points: [[1, 0.6], [2, 0.4], [3, 0.35]] },
      ],
    });
    expect(pathsOf(svg)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg).toContain('>training</text>');
    expect(svg).toContain('>validation</text>');
    expect(svg).toMatch(/^<svg id="chart-loss" [^>]*role="img" aria-labelledby="chart-loss-title chart-loss-desc"/);
    expect(svg).toContain('<title id="chart-loss-title">Loss</title>');
    expect(svg).toContain('training: from 0.5000 at epoch 1 to 0.2000 at epoch 3.');
  });

  it('breaks the line at a non-finite value (a diverged loss) and keeps the axis finite', () => {
    const svg = lineChart({ title: 'Loss', series: [{ name: 'training', points: [[1, 2], [2, Number.NaN], [3, 1], [4, 0.5]] }] });
    const d = pathsOf(svg)[0]!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('writes percentages on a percent axis and round ticks', () => {
    const svg = lineChart({ title: 'Accuracy', yFormat: 'percent', series: [{ name: 'validation', points: [[1, 0.861], [2, 0.97]] }] });
    expect(yTickLabels(svg)).toEqual(['86%', '88%', '90%', '92%', '94%', '96%', '98%']);
    expect(svg).toContain('<title>validation, epoch 2: 97.00%</title>');
  });

  it('uses decades on a log axis and leaves out values it cannot place', () => {
    const svg = lineChart({
      title: 'Learning rate',
      yScale: 'log',
      series: [{ name: 'learning rate', points: [[1, 0.1], [2, 0.01], [3, 0], [4, 0.0005]] }],
    });
    expect(yTickLabels(svg)).toEqual(['1e-4', '0.001', '0.01', '0.1']);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('The y axis is logarithmic.');
  });

  it('draws the marker as a dashed vertical line at its x and names it in the legend', () => {
    const svg = lineChart({
      title: 'Accuracy',
      width: 400,
      series: [{ name: 'validation', points: [[1, 0.1], [2, 0.2], [3, 0.15]] }],
      marker: { x: 2, label: 'best validation: epoch 2' },
    });
    // Plot from x=52 to 382 over epochs 1..3: epoch 2 sits at 217.
    expect(svg).toMatch(/<g class="sn-marker"><line [^>]*x1="217"[^>]*x2="217"/);
    expect(svg).toContain('>best validation: epoch 2</text>');
  });

  it('draws a single point as a dot on a centred axis', () => {
    const svg = lineChart({ title: 'Loss', series: [{ name: 'training', points: [[1, 0.4]] }] });
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).toContain('training: 0.4000 at epoch 1.');
  });

  it('escapes series names, titles and labels', () => {
    const svg = lineChart({ title: '<b>"x"</b>', yLabel: "it's", series: [{ name: '<script>alert(1)</script>', points: [[1, 1]] }] });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('it&#39;s');
  });

  it('gives series past the tenth a dash pattern so they differ from the first ten', () => {
    const series = Array.from({ length: 12 }, (_, i) => ({ name: `run ${i}`, points: [[1, i], [2, i + 1]] as [number, number][] }));
    const svg = lineChart({ title: 'Many', series });
    const paths = [...svg.matchAll(/<path class="sn-line" fill="none" stroke="(#[0-9a-f]+)" stroke-width="2"( stroke-dasharray="[^"]+")?/g)];
    expect(paths).toHaveLength(12);
    expect(paths[10]![1]).toBe(paths[0]![1]);
    expect(paths[0]![2]).toBeUndefined();
    expect(paths[10]![2]).toBe(' stroke-dasharray="7 4"');
  });

  it('wraps a long legend onto more rows and grows the chart instead of shrinking the plot', () => {
    const series = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `a rather long run name ${i}`, points: [[1, i]] as [number, number][] }));
    const height = (svg: string): number => Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)![1]);
    expect(height(lineChart({ title: 'Wrap', series: series(8) }))).toBeGreaterThan(height(lineChart({ title: 'Wrap', series: series(1) })));
  });
});
