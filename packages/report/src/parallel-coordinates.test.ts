import { describe, expect, it } from 'vitest';
import { axisPosition, axisScale, parallelCoordinates, type ParallelLine } from './parallel-coordinates.js';
import { expectGolden } from './test-golden.js';
import { badCoordinates } from './test-svg.js';

const polylines = (svg: string): string[] => [...svg.matchAll(/<polyline [^>]*>[\s\S]*?<\/polyline>/g)].map((m) => m[0]);
const pointsOf = (polyline: string): [number, number][] =>
  /points="([^"]*)"/
    .exec(polyline)![1]!
    .split(' ')
    .map((pair) => pair.split(',').map(Number) as [number, number]);

describe('axisScale', () => {
  it('is logarithmic for learning rates 0.001..0.3 (all positive, a ratio of at least 20)', () => {
    expect(axisScale([0.001, 0.01, 0.3, 0.03])).toEqual({ kind: 'log', min: 0.001, max: 0.3 });
    expect(axisScale([1, 20])).toMatchObject({ kind: 'log' });
  });

  it('is linear for widths 30..128, for ranges touching zero and for one value', () => {
    expect(axisScale([30, 64, 128])).toEqual({ kind: 'linear', min: 30, max: 128 });
    expect(axisScale([0, 0.001, 0.3])).toMatchObject({ kind: 'linear' });
    expect(axisScale([-1, 50])).toMatchObject({ kind: 'linear' });
    expect(axisScale([5, 5])).toEqual({ kind: 'linear', min: 5, max: 5 });
  });

  it('is categorical for strings, booleans, objects and mixes, in order of first appearance', () => {
    expect(axisScale(['relu', 'tanh', 'relu'])).toEqual({
      kind: 'category',
      categories: [
        { key: 'j:"relu"', label: 'relu' },
        { key: 'j:"tanh"', label: 'tanh' },
      ],
    });
    const objects = axisScale([{ type: 'xavier' }, { type: 'normal', std: 0.1 }, { type: 'xavier' }]);
    expect(objects.kind === 'category' && objects.categories.map((c) => c.label)).toEqual(['xavier', '{"type":"normal","std":0.1}']);
    expect(axisScale([true, false]).kind).toBe('category');
    const mixed = axisScale([1, 'auto', 2]);
    expect(mixed.kind === 'category' && mixed.categories.map((c) => c.label)).toEqual(['1', 'auto', '2']);
    expect(axisScale([1, Number.NaN]).kind).toBe('category');
    expect(axisScale([1, undefined]).kind).toBe('category');
  });

  it('places values from 0 (bottom) to 1 (top); equal extremes and a single category in the middle', () => {
    expect(axisPosition(axisScale([0.001, 0.1]), 0.01)).toBeCloseTo(0.5, 12);
    expect(axisPosition(axisScale([30, 130]), 80)).toBeCloseTo(0.5, 12);
    expect(axisPosition(axisScale([5, 5]), 5)).toBe(0.5);
    expect(axisPosition(axisScale(['a']), 'a')).toBe(0.5);
    const three = axisScale(['a', 'b', 'c']);
    expect(['a', 'b', 'c'].map((v) => axisPosition(three, v))).toEqual([1, 0.5, 0]);
  });
});

describe('parallelCoordinates', () => {
  const lines: ParallelLine[] = [
    { name: 't001', values: [0.001, { type: 'xavier' }, 0.91], strength: 0 },
    { name: 't002', values: [0.3, { type: 'he-normal' }, 0.97], strength: 1, highlight: true },
    { name: 't003', values: [0.01, { type: 'xavier' }, 0.94], strength: 0.5 },
  ];
  const svg = parallelCoordinates({
    id: 'pc',
    title: 'Parameters',
    axes: [{ label: 'schedule.learningRate' }, { label: 'model.layers[0].weightInit' }, { label: 'accuracy', format: (v) => `${(v * 100).toFixed(1)}%` }],
    lines,
    legend: { weakest: 'worst 91.0%', strongest: 'best 97.0%' },
  });

  it('is an accessible SVG with one labelled axis per entry and a tooltip per line', () => {
    expect(svg).toMatch(/^<svg id="pc" class="sn-chart sn-parallel" [^>]*role="img" aria-labelledby="pc-title pc-desc"/);
    for (const label of ['schedule.learningRate', 'model.layers[0].weightInit', 'accuracy']) expect(svg).toContain(`font-weight="600">${label}</text>`);
    expect(svg).toContain('<title>t001: schedule.learningRate = 0.001; model.layers[0].weightInit = xavier; accuracy = 91.0%</title>');
    expect(svg).toContain('log scale</text>');
    expect(svg).toMatch(/<desc id="pc-desc">3 lines across 3 axes\. schedule\.learningRate: 0\.001 to 0\.3, log scale\. model\.layers\[0\]\.weightInit: 2 categories \(xavier, he-normal\)\. accuracy: 91\.0% to 97\.0%\.<\/desc>/);
    expect(svg).toContain('>worst 91.0%</text>');
  });

  it('labels numeric axes at their minimum and maximum and categorical ones at each category', () => {
    for (const tick of ['0.001', '0.3', 'xavier', 'he-normal', '91.0%', '97.0%']) expect(svg).toContain(`">${tick}</text>`);
  });

  it('draws weaker lines first and the highlighted line last and thickest', () => {
    const drawn = polylines(svg);
    expect(drawn.map((p) => /<title>(t\d+)/.exec(p)![1])).toEqual(['t001', 't003', 't002']);
    const widths = drawn.map((p) => Number(/stroke-width="([^"]+)"/.exec(p)![1]));
    expect(widths[2]).toBeGreaterThan(Math.max(widths[0]!, widths[1]!));
    expect(drawn[2]).toContain('stroke-opacity="1.00"');
    // On the log axis 0.001..0.3, 0.01 sits log(10) / log(300) (about 0.4) of the way up.
    const [bottom, middle, top] = [pointsOf(drawn[0]!)[0]![1], pointsOf(drawn[1]!)[0]![1], pointsOf(drawn[2]!)[0]![1]];
    expect((bottom - middle) / (bottom - top)).toBeCloseTo(Math.log10(10) / Math.log10(300), 2);
  });

  it('never writes NaN or infinity into a coordinate: equal values, a single line, no lines', () => {
    const equal = parallelCoordinates({ title: 'eq', axes: [{ label: 'a' }, { label: 'b' }], lines: [1, 2, 3].map((k) => ({ name: `t${k}`, values: [5, 0.9], strength: Number.NaN })) });
    expect(badCoordinates(equal)).toEqual([]);
    expect(polylines(equal)).toHaveLength(3);
    const single = parallelCoordinates({ title: 'one', axes: [{ label: 'metric' }], lines: [{ name: 't', values: [0.5], strength: 1 }] });
    expect(badCoordinates(single)).toEqual([]);
    const empty = parallelCoordinates({ title: 'none', axes: [{ label: 'a' }], lines: [] });
    expect(badCoordinates(empty)).toEqual([]);
    expect(polylines(empty)).toHaveLength(0);
  });

  it('thins crowded category labels but keeps the first and the last', () => {
    const many = Array.from({ length: 60 }, (_, k) => `c${k}`);
    const crowded = parallelCoordinates({ title: 'crowded', axes: [{ label: 'c' }], lines: many.map((c) => ({ name: c, values: [c], strength: 0.5 })) });
    const labels = [...crowded.matchAll(/<text x="[^"]+" y="[^"]+">(c\d+)<\/text>/g)].map((m) => m[1]);
    expect(labels.length).toBeLessThan(30);
    expect(labels[0]).toBe('c0');
    expect(labels.at(-1)).toBe('c59');
  });

  it('escapes labels, categories and line names', () => {
    const hostile = `<script>"x"</script>`;
    const out = parallelCoordinates({ title: hostile, id: 'h', axes: [{ label: hostile }], lines: [{ name: hostile, values: [hostile], strength: 1 }] });
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;&quot;x&quot;&lt;/script&gt;');
  });
});

describe('parallel coordinates golden file', () => {
  it('a log axis, a numeric axis, a categorical axis of objects and a percent metric, the best line highlighted', () => {
    const rates = [0.001, 0.01, 0.1];
    const inits = [{ type: 'xavier-normal' }, { type: 'he-normal' }, { type: 'normal', std: 0.01 }];
    const lines: ParallelLine[] = Array.from({ length: 9 }, (_, k) => {
      const accuracy = 0.9 + 0.01 * (k % 3) + 0.02 * Math.floor(k / 3) - (k === 8 ? 0.1 : 0);
      return { name: `t${k + 1}`, values: [rates[k % 3], 32 * (1 + Math.floor(k / 3)), inits[Math.floor(k / 3)], accuracy], strength: k / 8, highlight: k === 7 };
    });
    expectGolden(
      'parallel-coordinates.svg',
      parallelCoordinates({
        id: 'golden-parallel',
        title: 'Parameters and validation accuracy',
        axes: [{ label: 'schedule.learningRate' }, { label: 'model.layers[0].units' }, { label: 'model.layers[0].weightInit' }, { label: 'validation.accuracy', format: (v) => `${(v * 100).toFixed(2)}%` }],
        lines,
        legend: { weakest: 'worst', strongest: 'best' },
      }),
    );
  });
});
