// The report pages' layout: one column of cards, system fonts, tabular figures; light and dark
// from custom properties (dark on screens only), and print rules that keep charts, tables rows
// and image tiles whole on a page.

export const pageStyles = `
:root {
  color-scheme: light dark;
  --sn-bg: #f4f5f7; --sn-card: #ffffff; --sn-fg: #1c1f24; --sn-muted: #5b6270; --sn-border: #dde1e7;
  --sn-code-bg: #f1f3f6; --sn-accent: #1d4ed8; --sn-ok: #047857; --sn-warn: #a16207; --sn-bad: #be123c; --sn-info: #1d4ed8;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --sn-bg: #0f1115; --sn-card: #171a20; --sn-fg: #e6e8eb; --sn-muted: #9aa3b2; --sn-border: #2a2f38;
    --sn-code-bg: #11141a; --sn-accent: #93c5fd; --sn-ok: #34d399; --sn-warn: #facc15; --sn-bad: #fb7185; --sn-info: #60a5fa;
  }
}
*, *::before, *::after { box-sizing: border-box; }
body {
  margin: 0; background: var(--sn-bg); color: var(--sn-fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
.sn-page { max-width: 1120px; margin: 0 auto; padding: 32px 20px 48px; }
.sn-card { background: var(--sn-card); border: 1px solid var(--sn-border); border-radius: 12px; padding: 20px 24px; margin: 0 0 20px; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 6px; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 0 0 14px; }
h3 { font-size: 1rem; margin: 22px 0 10px; }
p { margin: 0 0 10px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }
pre { background: var(--sn-code-bg); padding: 12px 14px; border-radius: 8px; overflow: auto; max-height: 520px; margin: 10px 0 0; line-height: 1.45; }
details { margin: 12px 0 0; }
summary { cursor: pointer; color: var(--sn-accent); font-weight: 500; }
.sn-kicker { color: var(--sn-muted); font-size: 0.78rem; letter-spacing: 0.08em; text-transform: uppercase; margin: 0 0 6px; }
.sn-muted { color: var(--sn-muted); }
.sn-badge {
  display: inline-block; vertical-align: middle; margin-left: 10px; padding: 2px 10px; border: 1px solid currentColor;
  border-radius: 999px; font-size: 0.72rem; font-weight: 600; letter-spacing: 0.05em; text-transform: uppercase;
}
.sn-status-completed { color: var(--sn-ok); }
.sn-status-interrupted { color: var(--sn-warn); }
.sn-status-diverged { color: var(--sn-bad); }
.sn-status-running { color: var(--sn-info); }
.sn-note { border-left: 4px solid var(--sn-warn); background: var(--sn-code-bg); padding: 8px 12px; border-radius: 4px; white-space: pre-wrap; margin: 12px 0 0; }
.sn-stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 18px 0 0; }
.sn-stats div { border: 1px solid var(--sn-border); border-radius: 10px; padding: 10px 14px; }
.sn-stats dt { color: var(--sn-muted); font-size: 0.8rem; }
.sn-stats dd { margin: 0; font-size: 1.4rem; font-weight: 650; }
.sn-facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 24px; margin: 0; }
.sn-facts dt { color: var(--sn-muted); }
.sn-facts dd { margin: 0; overflow-wrap: anywhere; }
.sn-table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { padding: 5px 14px 5px 0; text-align: left; border-bottom: 1px solid var(--sn-border); vertical-align: top; }
thead th { color: var(--sn-muted); font-weight: 600; font-size: 0.8rem; }
tfoot td, tfoot th { font-weight: 600; border-bottom: none; }
.sn-num { text-align: right; }
.sn-best { font-weight: 700; }
.sn-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 20px 28px; align-items: start; }
figure { margin: 0; }
figure > figcaption { font-weight: 600; margin: 0 0 6px; }
.sn-line-chart { width: 100%; }
.sn-images { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 12px 10px; }
.sn-images figure { text-align: center; font-size: 0.75rem; line-height: 1.3; }
.sn-images img { display: block; margin: 0 auto 3px; image-rendering: pixelated; border-radius: 3px; outline: 1px solid var(--sn-border); }
.sn-images figcaption { font-weight: 600; margin: 0; }
.sn-detail { display: block; font-weight: 400; color: var(--sn-muted); }
.sn-swatch { display: inline-block; vertical-align: middle; margin-right: 6px; }
.sn-swatch line { stroke: var(--c); }
footer { color: var(--sn-muted); font-size: 0.8rem; text-align: center; margin-top: 28px; }
@media (max-width: 560px) {
  .sn-page { padding: 16px 10px 32px; }
  .sn-card { padding: 16px 14px; }
  .sn-figures { grid-template-columns: 1fr; }
}
@media print {
  :root { color-scheme: light; }
  body { background: #ffffff; font-size: 10.5pt; }
  .sn-page { max-width: none; padding: 0; }
  .sn-card { border: none; border-radius: 0; padding: 0; margin: 0 0 18pt; }
  .sn-figures { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  figure, .sn-chart, tr, .sn-images li, .sn-stats div { break-inside: avoid; }
  h2, h3, figcaption { break-after: avoid; }
  pre { max-height: none; white-space: pre-wrap; }
  summary { color: inherit; }
  footer { display: none; }
}
`;
