import { formatCount, formatShape } from './format.js';
import { figure, section, table } from './html-parts.js';
import { imageGrid } from './image-grid.js';
import type { AugmentedView, FirstLayerView, LayerRow } from './report-data.js';

/** What the first trained layer learnt, one small image per unit or filter. */
export function firstLayerSection(view: FirstLayerView | undefined): string {
  if (view === undefined || view.images.length === 0) return '';
  const grid = imageGrid(
    view.images.map((image, i) => ({ image, caption: String(i + 1), alt: `${view.layer}, unit ${i + 1}: ${image.width}×${image.height} weights` })),
    { size: 48, label: `${view.layer} weights` },
  );
  return section('first-layer', 'What the first layer learnt', figure(view.caption, grid));
}

/** A few training digits and what data.augment made of them, one row per digit. */
export function augmentedSection(view: AugmentedView | undefined): string {
  if (view === undefined || view.rows.length === 0) return '';
  const items = view.rows.flatMap((row, r) =>
    row.map((image, i) => ({
      image,
      caption: i === 0 ? 'original' : `#${i}`,
      alt: i === 0 ? `training digit ${r + 1}, as stored` : `training digit ${r + 1}, augmented version ${i}`,
    })),
  );
  return section('augmented', 'Augmented training samples', figure(view.caption, imageGrid(items, { size: 48, label: 'augmented training digits' })));
}

/** The model's layers with output shapes and parameter counts, and the total. */
export function layerSection(inputShape: readonly number[], layers: readonly LayerRow[]): string {
  if (layers.length === 0) return '';
  const total = layers.reduce((sum, layer) => sum + layer.parameters, 0);
  const rows = [
    ['—', 'input', formatShape(inputShape), { text: '0', numeric: true }] as const,
    ...layers.map((layer) => [String(layer.index), layer.type, formatShape(layer.outputShape), { text: formatCount(layer.parameters), numeric: true }] as const),
  ];
  return section(
    'layers',
    'Layers',
    table(['#', 'type', 'output shape', { text: 'parameters', numeric: true }], rows, ['total', '', '', { text: formatCount(total), numeric: true }]),
  );
}
