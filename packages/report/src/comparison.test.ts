import { describe, expect, it } from 'vitest';
import { renderComparison } from './comparison.js';
import type { ComparedRun, EpochMetrics } from './report-data.js';
import { syntheticEpochs } from './test-synthetic.js';

function run(init: string, options: { epochs?: EpochMetrics[]; test?: boolean; accuracy?: number } = {}): ComparedRun {
  const epochs = (options.epochs ?? syntheticEpochs(5)).map((e) =>
    options.accuracy === undefined ? e : { ...e, validation: { loss: e.validation?.loss ?? 1, accuracy: options.accuracy }, train: { ...e.train, accuracy: options.accuracy } },
  );
  return {
    name: `digits32-${init}`,
    runDir: `runs/digits32-${init}`,
    status: 'completed',
    config: { name: `digits32-${init}`, seed: 1, model: { layers: [{ type: 'dense', weightInit: { type: init } }, 'sigmoid'] }, training: { epochs: 5 } },
    epochs,
    ...(options.test === false ? {} : { test: { loss: 0.1, accuracy: options.accuracy ?? 0.9 } }),
    totalSeconds: 12,
  };
}

const section = (html: string, id: string): string => new RegExp(`<section class="sn-card" id="${id}"[\\s\\S]*?</section>`).exec(html)![0];
const legend = (svg: string): string[] => [...svg.matchAll(/<g class="sn-legend-item[^"]*">.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('renderComparison', () => {
  const runs = [run('normal', { accuracy: 0.8 }), run('he', { accuracy: 0.95 }), run('xavier', { accuracy: 0.9 })];
  const html = renderComparison(runs, { title: 'Initialisers' });

  it('is a complete page with the given title', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>Initialisers</title>');
    expect(html).toContain('<h1>Initialisers</h1>');
    expect(renderComparison(runs)).toContain('<h1>Run comparison</h1>');
  });

  it('overlays every run on the validation accuracy and loss charts when every run has validation', () => {
    const curves = section(html, 'curves');
    expect(curves).toContain('Validation figures: every run has a validation set.');
    const charts = [...curves.matchAll(/<svg id="(chart-compare-[a-z]+)"[\s\S]*?<\/svg>/g)];
    expect(charts.map((m) => m[1])).toEqual(['chart-compare-accuracy', 'chart-compare-loss']);
    for (const [svg] of charts) {
      expect(legend(svg)).toEqual(['digits32-normal', 'digits32-he', 'digits32-xavier']);
      expect(svg.match(/<path class="sn-line"/g)).toHaveLength(3);
    }
    expect(charts[0]![0]).toContain('<title>digits32-he, epoch 5: 95.00%</title>');
  });

  it('falls back to training curves when one run has no validation', () => {
    const without = run('lecun', { epochs: syntheticEpochs(5, { validation: false }) });
    const curves = section(renderComparison([...runs, without]), 'curves');
    expect(curves).toContain('Training figures: not every run has a validation set.');
    expect(curves).toContain('<figcaption>Training accuracy</figcaption>');
  });

  it('tabulates only the settings that differ, plus the name', () => {
    const settings = section(html, 'settings');
    const paths = [...settings.matchAll(/<th scope="row"><code>([^<]+)<\/code><\/th>/g)].map((m) => m[1]);
    expect(paths).toEqual(['name', 'model.layers[0].weightInit.type']);
    expect(settings).toContain('<td>normal</td><td>he</td><td>xavier</td>');
    expect(settings).toContain('One setting differs');
  });

  it('says so when the configs differ only in name', () => {
    const same = [run('he'), { ...run('he'), name: 'again', config: { ...(run('he').config as object), name: 'again' } }];
    expect(section(renderComparison(same), 'settings')).toContain('Apart from their names, the runs have the same settings.');
  });

  it('lists the final figures, with the best in bold and dashes for what a run lacks', () => {
    const figures = section(renderComparison([...runs, run('none', { test: false })]), 'figures');
    const rows = figures.split('<tr>').filter((row) => row.includes('scope="row"'));
    expect(rows).toHaveLength(4);
    expect(rows[1]).toContain('<td class="sn-num sn-best">95.00%</td>');
    expect(rows[3]).toMatch(/<td class="sn-num">—<\/td><td class="sn-num">—<\/td><td class="sn-num">12.0 s<\/td>/);
    expect(figures).toContain('runs/digits32-he');
  });

  it('gives each run the same colour in charts and tables, and dashes after ten runs', () => {
    const many = Array.from({ length: 12 }, (_, i) => run(`init${i}`));
    const page = renderComparison(many);
    const swatches = [...section(page, 'figures').matchAll(/<svg class="sn-swatch (sn-s\d)"[^>]*><line [^>]*?(stroke-dasharray="[^"]+")?\/>/g)];
    expect(swatches.map((m) => m[1])).toEqual(['sn-s0', 'sn-s1', 'sn-s2', 'sn-s3', 'sn-s4', 'sn-s5', 'sn-s6', 'sn-s7', 'sn-s8', 'sn-s9', 'sn-s0', 'sn-s1']);
    expect(swatches[10]![2]).toBe('stroke-dasharray="7 4"');
    expect(swatches[0]![2]).toBeUndefined();
  });

  it('handles no runs, and runs that never finished an epoch', () => {
    expect(renderComparison([])).toContain('No runs to compare.');
    const page = renderComparison([{ ...run('a'), epochs: [], status: 'interrupted' }]);
    expect(section(page, 'curves')).toContain('None of the runs finished an epoch');
    const mixed = renderComparison([run('a'), { ...run('b'), epochs: [] }]);
    expect(section(mixed, 'curves')).toContain('One run has no finished epoch and no curve.');
  });
});
