import { escapeHtml } from './escape.js';

/** A coordinate with one decimal, "-0" and trailing ".0" dropped: short, stable SVG text. */
export function coord(value: number): string {
  const text = value.toFixed(1);
  const trimmed = text.endsWith('.0') ? text.slice(0, -2) : text;
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * An estimate of rendered text width for layout (legends, label margins). System fonts differ,
 * so layouts leave slack rather than measure: charts must come out the same everywhere.
 */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.6;
}

/** A fragment usable in an id attribute, from any text. */
export function idFragment(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'chart' : slug;
}

export interface SvgFrame {
  readonly id: string;
  readonly className: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly description: string;
}

/**
 * The opening of an accessible inline SVG: role img with its title and description. No xmlns:
 * HTML parsers put inline <svg> in the SVG namespace themselves, and a report must not contain
 * any URL, not even a namespace one.
 */
export function openSvg(frame: SvgFrame): string {
  const id = escapeHtml(frame.id);
  return (
    `<svg id="${id}" class="${escapeHtml(frame.className)}" viewBox="0 0 ${coord(frame.width)} ${coord(frame.height)}" ` +
    `width="${coord(frame.width)}" height="${coord(frame.height)}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `font-family="system-ui, sans-serif" font-size="11">\n` +
    `<title id="${id}-title">${escapeHtml(frame.title)}</title>\n` +
    `<desc id="${id}-desc">${escapeHtml(frame.description)}</desc>`
  );
}
