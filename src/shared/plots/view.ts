/**
 * Turns a chart definition into a live vega View: the one code path used by
 * the renderer (SVG into a div) and by Node (headless, toSVG for reports).
 * Expressions run through vega-interpreter instead of generated functions,
 * so the app's Content-Security-Policy (no 'unsafe-eval') holds.
 */
import { parse, View, Warn } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** A DOM element (or selector) to draw into, as vega types it (no DOM lib needed in Node code). */
type ViewContainer = NonNullable<NonNullable<ConstructorParameters<typeof View>[1]>['container']>;

export interface ChartViewOptions {
  /** 'svg' draws into `container` (renderer); 'none' renders nothing until toSVG() (Node). */
  renderer: 'svg' | 'none';
  container?: ViewContainer;
}

export function createChartView(spec: TopLevelSpec, opts: ChartViewOptions): View {
  const runtime = parse(compile(spec).spec, undefined, { ast: true });
  return new View(runtime, {
    renderer: opts.renderer,
    expr: expressionInterpreter,
    logLevel: Warn,
    hover: opts.renderer === 'svg',
    ...(opts.container ? { container: opts.container } : {}),
  });
}
