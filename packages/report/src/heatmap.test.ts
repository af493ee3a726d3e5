import { describe, expect, it } from 'vitest';
import { heatmap } from './heatmap.js';

const cells = (svg: string): { kind: string; opacity: number }[] =>
  [...svg.matchAll(/<rect class="(sn-heat-good|sn-heat-bad)"[^>]* fill-opacity="([\d.]+)"/g)].map((m) => ({ kind: m[1]!, opacity: Number(m[2]) }));

describe('heatmap', () => {
  const confusion = [
    [980, 0, 3],
    [1, 1100, 20],
    [5, 0, 900],
  ];

  it('writes every count in its cell with row and column labels', () => {
    const svg = heatmap({ title: 'Confusion', values: confusion, rowLabels: ['a', 'b', 'c'], columnLabels: ['a', 'b', 'c'], rowTitle: 'true', columnTitle: 'predicted' });
    const counts = [...svg.matchAll(/<text class="sn-heat-[a-z]+"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(counts).toEqual(confusion.flat());
    expect(svg).toContain('<title>true b, predicted c: 20</title>');
    expect(svg).toContain('>predicted</text>');
  });

  it('in diagonal mode scales mistakes on their own, so the largest one is fully shaded', () => {
    const svg = heatmap({ title: 'Confusion', values: confusion, rowLabels: ['a', 'b', 'c'], columnLabels: ['a', 'b', 'c'], diagonal: true });
    const shaded = cells(svg);
    expect(shaded.filter((c) => c.kind === 'sn-heat-good')).toHaveLength(3);
    expect(shaded.filter((c) => c.kind === 'sn-heat-bad').map((c) => c.opacity)).toEqual([0.46, 0.23, 1, 0.59]);
    expect(svg).toContain('2980 of 3009 on the diagonal. Largest off-diagonal cell: row b, column c, 20.');
  });

  it('leaves zero cells unshaded and marks text on strong fills for a contrasting colour', () => {
    const svg = heatmap({ title: 'Confusion', values: confusion, rowLabels: ['a', 'b', 'c'], columnLabels: ['a', 'b', 'c'], diagonal: true });
    expect(cells(svg)).toHaveLength(7);
    expect(svg.match(/class="sn-heat-zero"/g)).toHaveLength(2);
    expect(svg).toMatch(/class="sn-heat-high"[^>]*>980</);
    expect(svg).toMatch(/class="sn-heat-low"[^>]*>3</);
  });

  it('without diagonal mode shades every cell on one scale', () => {
    const svg = heatmap({ title: 'Counts', values: [[1, 100]], rowLabels: ['r'], columnLabels: ['x', 'y'] });
    expect(cells(svg).map((c) => c.kind)).toEqual(['sn-heat-good', 'sn-heat-good']);
    expect(cells(svg)[1]!.opacity).toBe(1);
  });

  it('slants long column labels instead of widening the cells', () => {
    const svg = heatmap({ title: 'Long', values: [[1, 2]], rowLabels: ['r'], columnLabels: ['a very long class', 'b'] });
    expect(svg).toMatch(/transform="rotate\(-45 /);
  });

  it('escapes class names', () => {
    const svg = heatmap({ title: 'x', values: [[1]], rowLabels: ['<img src=x onerror=1>'], columnLabels: ['"q"'] });
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=1&gt;');
    expect(svg).toContain('&quot;q&quot;');
  });
});
