/** Renders a chart definition to an SVG string under Node (no DOM, no canvas), via the shared view factory. */
import type { TopLevelSpec } from 'vega-lite';
import { createChartView } from '../../shared/plots/view';

/** Renders headless ('none' renderer) and returns standalone SVG markup. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = createChartView(spec, { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
