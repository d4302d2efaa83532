/** Chart definitions (Vega-Lite) shared by the renderer and the Node SVG export. */
export * from './labels';
export * from './data';
export { CHART_HEIGHT } from './chartStyle';
export * from './benchmarkChart';
export * from './normalizedChart';
export * from './reportCharts';
export * from './view';
