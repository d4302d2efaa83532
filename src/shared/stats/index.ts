/** Statistics: descriptive figures, t distribution, Welch test, ratios, summaries, adaptive stop rule. */
export * from './tdist';
export * from './descriptive';
export * from './welch';
export * from './ratio';
export * from './summaryTypes';
export * from './cellStatistics';
export * from './cellRatio';
export * from './summary';
export * from './adaptive';
export * from './compareRuns';
export * from './logScale';
export * from './verdict';
export * from './text';
export * from './reference';
export * from './paired';
export * from './roundStop';
