/** Chart definitions (Vega-Lite) shared by the renderer and the Node SVG export. */
export * from './labels';
export * from './data';
export * from './specs';
export * from './view';
