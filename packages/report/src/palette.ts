// Ten series colours, each in a light-scheme and a dark-scheme shade chosen for at least 3:1
// contrast against the page's card colour in that scheme and for distinct hues side by side.
// Series beyond ten reuse the hues with a dash pattern, so up to 30 runs stay distinguishable.

export const SERIES_LIGHT: readonly string[] = [
  '#2563eb', // blue
  '#c2410c', // orange
  '#047857', // green
  '#be123c', // crimson
  '#7c3aed', // violet
  '#0e7490', // cyan
  '#a16207', // ochre
  '#4d7c0f', // olive
  '#be185d', // magenta
  '#475569', // slate
];

export const SERIES_DARK: readonly string[] = [
  '#60a5fa',
  '#fb923c',
  '#34d399',
  '#fb7185',
  '#a78bfa',
  '#22d3ee',
  '#facc15',
  '#a3e635',
  '#f472b6',
  '#94a3b8',
];

const DASHES: readonly (string | undefined)[] = [undefined, '7 4', '2 3'];

export interface SeriesStyle {
  /** Sets the `--c` custom property the chart styles colour lines, dots and swatches with. */
  readonly className: string;
  /** The light-scheme colour, as a presentation attribute for SVG shown without the styles. */
  readonly colour: string;
  readonly dash: string | undefined;
}

export function seriesStyle(slot: number): SeriesStyle {
  const index = ((Math.trunc(slot) % SERIES_LIGHT.length) + SERIES_LIGHT.length) % SERIES_LIGHT.length;
  const round = Math.floor(Math.max(0, slot) / SERIES_LIGHT.length) % DASHES.length;
  return { className: `sn-s${index}`, colour: SERIES_LIGHT[index]!, dash: DASHES[round] };
}
