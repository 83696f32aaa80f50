/** Words for proctor alert codes, as teachers and students read them. */
import type { AlertCode } from '@smartsession/protocol';

/** Short word per alert code (shown on tiles and in the alerts feed). */
export const ALERT_WORDS: Record<AlertCode, string> = {
  NO_PERSON: 'Nobody in view',
  MULTIPLE_PEOPLE: 'More than one person',
  GAZE_AWAY: 'Looking away',
  TAB_HIDDEN: 'Left the page',
  PAUSED: 'Paused during exam',
};

/** The word for an alert code; unknown codes (a newer server) are shown as they are. */
export function alertWord(code: AlertCode | string | null | undefined): string {
  if (!code) return '';
  return (ALERT_WORDS as Record<string, string>)[code] ?? code;
}

/** Feed title of an alert record: the code word, or "Pressed I'm lost" for a self-report. */
export function alertTitle(kind: 'proctor' | 'self_report', code: AlertCode | null): string {
  return kind === 'self_report' ? "Pressed I'm lost" : alertWord(code);
}
