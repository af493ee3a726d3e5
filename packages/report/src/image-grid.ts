import { escapeHtml } from './escape.js';
import { imageDataUrl } from './grey-image.js';
import type { GreyImage } from './report-data.js';

export interface GridImage {
  readonly image: GreyImage;
  /** What the image shows, for people who cannot see it. */
  readonly alt: string;
  readonly caption?: string;
  /** A second, quieter caption line (e.g. the confidence). */
  readonly detail?: string;
}

export interface ImageGridOptions {
  /** CSS pixels of each image's longer side (default 56: 2x for 28x28 digits). */
  readonly size?: number;
  /** Names the list for screen readers. */
  readonly label?: string;
}

/**
 * Images as a wrapping list of small figures, each an inline PNG (data: URL) scaled up with
 * crisp pixels, so a digit is seen as the model saw it.
 */
export function imageGrid(items: readonly GridImage[], options: ImageGridOptions = {}): string {
  const size = options.size ?? 56;
  const label = options.label === undefined ? '' : ` aria-label="${escapeHtml(options.label)}"`;
  const cells = items.map((item) => {
    const { width, height } = item.image;
    const scale = size / Math.max(width, height, 1);
    const caption =
      item.caption === undefined && item.detail === undefined
        ? ''
        : `<figcaption>${escapeHtml(item.caption ?? '')}${item.detail === undefined ? '' : `<span class="sn-detail">${escapeHtml(item.detail)}</span>`}</figcaption>`;
    return (
      `<li><figure><img src="${imageDataUrl(item.image)}" width="${Math.max(1, Math.round(width * scale))}" ` +
      `height="${Math.max(1, Math.round(height * scale))}" alt="${escapeHtml(item.alt)}">${caption}</figure></li>`
    );
  });
  return `<ul class="sn-images" role="list"${label}>\n${cells.join('\n')}\n</ul>`;
}
