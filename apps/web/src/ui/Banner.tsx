/** A one-line message across a page: information, a warning, or an error (announced to screen readers). */
import type { ReactNode } from 'react';

/** A banner; `error` ones are alerts (read out at once), the others polite status messages. */
export function Banner({
  kind = 'info',
  children,
  testId,
}: {
  kind?: 'info' | 'warn' | 'error' | 'success';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`banner banner-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      {children}
    </div>
  );
}
