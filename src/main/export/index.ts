/** Result bundles: export (zip + reports + plots + CSV) and validated import. */
export { exportBundle } from './bundleWriter';
export type { ExportResult, RunSource } from './bundleWriter';
export { importBundle } from './bundleReader';
export { ImportStaging, STAGING_FOLDER } from './importStaging';
export type { ImportOptions, ImportResult } from './bundleReader';
export { DEFAULT_LIMITS } from './limits';
export type { BundleLimits } from './limits';
export { renderSvg } from './svg';
export { buildReportModel } from './reportModel';
export { reportHtml } from './reportHtml';
export { reportMarkdown } from './reportMarkdown';
export { exportRunDetail } from './bundleWriter';
export { bundleHandlers, bundleFileName } from './apiHandlers';
export type { BundleApiDeps } from './apiHandlers';
