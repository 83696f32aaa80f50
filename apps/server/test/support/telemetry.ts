/** Valid telemetry for tests (shapes from @smartsession/protocol). */
import type { FrameResult, Reason, ReportedStatus, TelemetryMessage } from '@smartsession/protocol';

export function frame(score = 0.2, faces = 1): FrameResult {
  return {
    face_count: faces,
    status: faces === 0 ? 'NO PERSON' : faces > 1 ? 'MULTIPLE PEOPLE' : 'OK',
    emotion: score > 0.6 ? 'Confused' : 'Focused / Neutral',
    happy_prob: 0.3,
    gaze: 'CENTER',
    confused: score > 0.6,
    confusion_score: score,
    head: { yaw: 1, pitch: 2, roll: 0 },
    eyes: 'CENTER',
    signals: { brow: score, happy: 0.7, tilt: 0.1 },
    contributions: { brow: score / 2, happy: score / 4, tilt: score / 4 },
  };
}

export function telemetry(
  seq: number,
  status: ReportedStatus = 'focused',
  opts: { t?: number; score?: number; alert?: TelemetryMessage['alert']; reason?: Reason | null } = {},
): TelemetryMessage {
  const t = opts.t ?? Date.now();
  return {
    type: 'telemetry',
    seq,
    t,
    status,
    alert: status === 'alert' ? (opts.alert ?? 'GAZE_AWAY') : null,
    since: t,
    reason: opts.reason ?? null,
    frame:
      status === 'alert' && opts.alert === 'NO_PERSON'
        ? frame(0, 0)
        : frame(opts.score ?? (status === 'confused' ? 0.8 : 0.2)),
  };
}
