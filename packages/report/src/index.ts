export type * from './report-data.js';
export { renderRunReport } from './run-report.js';
export { renderComparison, type ComparisonOptions } from './comparison.js';
export { lineChart, type ChartMarker, type LineChartOptions, type LineSeries } from './line-chart.js';
export { heatmap, type HeatmapOptions } from './heatmap.js';
export { imageGrid, type GridImage, type ImageGridOptions } from './image-grid.js';
export { chartStyles } from './chart-styles.js';
export { encodePng } from './png.js';
export { greyBytes, imageDataUrl } from './grey-image.js';
export { macroAverages, perClassMetrics, type ClassMetrics, type MacroAverages } from './class-metrics.js';
export { differingSettings, flattenConfig, type DifferingSetting } from './config-paths.js';
export { escapeHtml } from './escape.js';
export type * from './sweep-report-data.js';
export { renderSweepReport } from './sweep-report.js';
export {
  parallelCoordinates,
  type AxisScale,
  type ParallelAxis,
  type ParallelCoordinatesOptions,
  type ParallelLine,
} from './parallel-coordinates.js';
