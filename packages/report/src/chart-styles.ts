import { SERIES_DARK, SERIES_LIGHT } from './palette.js';

// Charts carry light-scheme colours as presentation attributes (so an SVG shown alone still
// draws); these rules override them with custom properties that follow the colour scheme.
// The dark values apply on screens only, so printing always uses the light, ink-friendly ones.

const seriesRules = (colours: readonly string[]): string => colours.map((colour, i) => `.sn-s${i} { --c: ${colour}; }`).join('\n');

/** The CSS that colours `lineChart` and `heatmap` SVGs in light and dark schemes; put it in the page's <style>. */
export const chartStyles = /* @__PURE__ */ buildChartStyles();

function buildChartStyles(): string {
  return `
:root {
  --sn-chart-fg: #1c1f24; --sn-chart-muted: #5b6270; --sn-chart-grid: #e4e7ec; --sn-chart-axis: #8a919e;
  --sn-chart-marker: #374151; --sn-heat-good: #2563eb; --sn-heat-bad: #dc2626; --sn-heat-zero: #a0a6b1;
  --sn-on-mid: #1c1f24; --sn-on-high: #ffffff;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --sn-chart-fg: #e6e8eb; --sn-chart-muted: #9aa3b2; --sn-chart-grid: #262b33; --sn-chart-axis: #5c6472;
    --sn-chart-marker: #d1d5db; --sn-heat-good: #60a5fa; --sn-heat-bad: #f87171; --sn-heat-zero: #4b5260;
    --sn-on-mid: #0b0d12; --sn-on-high: #0b0d12;
  }
}
${seriesRules(SERIES_LIGHT)}
@media screen and (prefers-color-scheme: dark) {
${seriesRules(SERIES_DARK)}
}
.sn-chart { display: block; max-width: 100%; height: auto; overflow: visible; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.sn-chart text { fill: var(--sn-chart-muted); }
.sn-chart .sn-legend text { fill: var(--sn-chart-fg); }
.sn-chart .sn-grid line, .sn-chart .sn-cell-frame { stroke: var(--sn-chart-grid); }
.sn-chart .sn-axis-line { stroke: var(--sn-chart-axis); }
.sn-chart .sn-line { stroke: var(--c); }
.sn-chart .sn-dot { fill: var(--c); }
.sn-chart .sn-marker line { stroke: var(--sn-chart-marker); }
.sn-chart .sn-marker text { fill: var(--sn-chart-marker); font-weight: 600; }
.sn-chart .sn-heat-good { fill: var(--sn-heat-good); }
.sn-chart .sn-heat-bad { fill: var(--sn-heat-bad); }
.sn-chart .sn-heat-low { fill: var(--sn-chart-fg); }
.sn-chart .sn-heat-mid { fill: var(--sn-on-mid); }
.sn-chart .sn-heat-high { fill: var(--sn-on-high); font-weight: 600; }
.sn-chart .sn-heat-zero { fill: var(--sn-heat-zero); }
`;
}
