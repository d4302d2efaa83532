/** Draws one chart definition live (vega View, SVG renderer) into a div; re-draws when the spec changes. */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { TopLevelSpec } from 'vega-lite';
import { createChartView } from '../../../shared/plots';

export function VegaChart({
  spec,
  testId,
  label,
  groups,
}: {
  spec: TopLevelSpec;
  testId: string;
  /** Accessible name of the figure ("Disk write chart"). */
  label?: string;
  /** The groups on its x axis (target ids), as data-groups="qemu-tcg.raw qemu-tcg.qcow2". */
  groups?: readonly string[];
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    let view: ReturnType<typeof createChartView> | null = null;
    try {
      view = createChartView(spec, { renderer: 'svg', container: el });
      view.runAsync().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    return () => {
      view?.finalize();
      el.replaceChildren();
    };
  }, [spec]);
  return (
    <div
      className="chart"
      data-testid={testId}
      role="figure"
      {...(label ? { 'aria-label': label } : {})}
      {...(groups ? { 'data-groups': groups.join(' ') } : {})}
    >
      <div ref={ref} />
      {error ? <div className="error-box">Chart failed: {error}</div> : null}
    </div>
  );
}
