/** The element a uPlot timeline draws into: an image to assistive technology, named by `label`. */
import type { Ref } from 'react';

export function ChartBox({
  ref,
  testId,
  label,
  className = 'chart',
}: {
  ref: Ref<HTMLDivElement>;
  testId: string;
  label: string;
  className?: string;
}) {
  return <div ref={ref} className={className} data-testid={testId} role="img" aria-label={label} />;
}
