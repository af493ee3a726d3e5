import { chartStyles } from './chart-styles.js';
import { escapeHtml } from './escape.js';
import { pageStyles } from './page-styles.js';
import { seriesStyle } from './palette.js';
import type { RunStatus } from './report-data.js';

/**
 * A complete page: inline styles only, no script, no URL. `body` is trusted HTML built by this
 * package; `title` is escaped here.
 */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="@scratchnet/report">
<title>${escapeHtml(title)}</title>
<style>${pageStyles}${chartStyles}</style>
</head>
<body>
<main class="sn-page">
${body}
<footer>Written by @scratchnet/report. This file is self-contained: no scripts, fonts or images from elsewhere.</footer>
</main>
</body>
</html>
`;
}

/** A card with a heading the page can link to. `content` is trusted HTML. */
export function section(id: string, heading: string, content: string): string {
  return `<section class="sn-card" id="${escapeHtml(id)}" aria-labelledby="${escapeHtml(id)}-h">
<h2 id="${escapeHtml(id)}-h">${escapeHtml(heading)}</h2>
${content}
</section>`;
}

/** A figure with a visible caption around trusted HTML (a chart, a grid). */
export function figure(caption: string, content: string): string {
  return `<figure>\n<figcaption>${escapeHtml(caption)}</figcaption>\n${content}\n</figure>`;
}

export function statusBadge(status: RunStatus): string {
  return `<span class="sn-badge sn-status-${escapeHtml(status)}">${escapeHtml(status)}</span>`;
}

/** A paragraph of plain text. */
export function paragraph(text: string, className = 'sn-muted'): string {
  return className === '' ? `<p>${escapeHtml(text)}</p>` : `<p class="${className}">${escapeHtml(text)}</p>`;
}

export interface Cell {
  /** Plain text, escaped; or `html` for trusted markup. */
  readonly text?: string;
  readonly html?: string;
  readonly numeric?: boolean;
  readonly className?: string;
}

export type CellLike = string | Cell;

function cellHtml(tag: 'td' | 'th', cell: CellLike, scope = ''): string {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const classes = [c.numeric ? 'sn-num' : '', c.className ?? ''].filter((name) => name !== '').join(' ');
  const classAttr = classes === '' ? '' : ` class="${classes}"`;
  return `<${tag}${scope}${classAttr}>${c.html ?? escapeHtml(c.text ?? '')}</${tag}>`;
}

/** A table; the first cell of each body row is its row header. */
export function table(head: readonly CellLike[], rows: readonly (readonly CellLike[])[], foot?: readonly CellLike[]): string {
  const body = rows.map((row) => `<tr>${row.map((cell, i) => cellHtml(i === 0 ? 'th' : 'td', cell, i === 0 ? ' scope="row"' : '')).join('')}</tr>`);
  return [
    '<div class="sn-table-wrap"><table>',
    `<thead><tr>${head.map((cell) => cellHtml('th', cell, ' scope="col"')).join('')}</tr></thead>`,
    `<tbody>\n${body.join('\n')}\n</tbody>`,
    foot === undefined ? '' : `<tfoot><tr>${foot.map((cell, i) => cellHtml(i === 0 ? 'th' : 'td', cell, i === 0 ? ' scope="row"' : '')).join('')}</tr></tfoot>`,
    '</table></div>',
  ].join('\n');
}

/** A definition list of label/value pairs (values are plain text unless given as `{ html }`). */
export function facts(entries: readonly (readonly [string, CellLike])[], className = 'sn-facts'): string {
  const items = entries.map(([label, value]) => {
    const html = typeof value === 'string' ? escapeHtml(value) : (value.html ?? escapeHtml(value.text ?? ''));
    return className === 'sn-stats' ? `<div><dt>${escapeHtml(label)}</dt><dd>${html}</dd></div>` : `<dt>${escapeHtml(label)}</dt><dd>${html}</dd>`;
  });
  return `<dl class="${className}">\n${items.join('\n')}\n</dl>`;
}

/** A short line in a series' colour (and dash), to tie a table row or column to its curve. */
export function swatch(slot: number): string {
  const style = seriesStyle(slot);
  const dash = style.dash === undefined ? '' : ` stroke-dasharray="${style.dash}"`;
  return `<svg class="sn-swatch ${style.className}" width="22" height="8" viewBox="0 0 22 8" aria-hidden="true"><line x1="1" y1="4" x2="21" y2="4" stroke="${style.colour}" stroke-width="3"${dash}/></svg>`;
}
