/** Maps session settings and a student's accommodations to the proctor timeline's options (pure). */
import type { Accommodations, SessionSettings } from '@smartsession/protocol';
import type { TimelineOptions } from '@smartsession/engine';

/** Timeline options for this student: the session's mode and look-away limit, then their accommodations. */
export function timelineOptions(
  settings: SessionSettings,
  accommodations: Accommodations,
): Partial<TimelineOptions> {
  return {
    mode: settings.mode,
    lookAwaySeconds: accommodations.lookAwaySeconds ?? settings.lookAwaySeconds,
    gazeChecks: accommodations.gazeChecks ?? true,
  };
}
