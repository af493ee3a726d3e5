// What the page shows: the class bars, the verdict, and the image the model saw.
import { imageSize } from '@scratchnet/datasets';
import type { Classification, PageModel } from '../page-model.js';

export interface ResultView {
  show(result: Classification | undefined): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

/**
 * One bar per class; each keeps the exact value in `data-probability` (what the browser test
 * compares with Node's), and the verdict line says which class leads.
 */
export function createResultView(model: PageModel, bars: HTMLElement, verdict: HTMLElement, seen: HTMLCanvasElement): ResultView {
  const rows = model.classNames.map((name) => {
    const row = element('div', 'bar');
    row.dataset.class = name;
    const label = element('span', 'bar-label', name);
    const track = element('span', 'bar-track');
    const fill = element('span', 'bar-fill');
    const value = element('span', 'bar-value');
    track.append(fill);
    row.append(label, track, value);
    bars.append(row);
    return { row, fill, value };
  });
  const { rows: height, cols: width } = imageSize(model.format.sampleShape);
  seen.width = width;
  seen.height = height;
  const context = seen.getContext('2d');
  const range = model.format.max - model.format.min || 1;

  const drawSeen = (sample: Float32Array | undefined): void => {
    if (context === null) return;
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      // Ink is the high end of the range, shown dark on light like the pad.
      const ink = sample === undefined ? 0 : (sample[i]! - model.format.min) / range;
      const grey = Math.round(255 * (1 - Math.min(1, Math.max(0, ink))));
      image.data.set([grey, grey, grey, 255], i * 4);
    }
    context.putImageData(image, 0, 0);
  };

  return {
    show(result) {
      drawSeen(result?.sample);
      document.body.dataset.state = result === undefined ? 'empty' : 'predicted';
      if (result === undefined) {
        verdict.textContent = 'Draw a digit';
        verdict.dataset.class = '';
      } else {
        const p = result.probabilities[result.best]!;
        const figure = model.scored ? `score ${p.toFixed(3)}` : `${(p * 100).toFixed(1)}%`;
        verdict.textContent = `${model.classNames[result.best]} (${figure})`;
        verdict.dataset.class = model.classNames[result.best]!;
      }
      rows.forEach(({ row, fill, value }, c) => {
        const p = result?.probabilities[c];
        row.dataset.probability = p === undefined ? '' : String(p);
        row.classList.toggle('best', result !== undefined && c === result.best);
        fill.style.width = `${Math.max(0, Math.min(1, p ?? 0)) * 100}%`;
        value.textContent = p === undefined ? '' : model.scored ? p.toFixed(3) : `${(p * 100).toFixed(1)}%`;
      });
    },
  };
}
