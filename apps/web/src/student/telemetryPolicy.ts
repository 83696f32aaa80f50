/**
 * When the student page sends telemetry (pure): an immediate message whenever the reported status or
 * alert changes, and otherwise one every `periodMs` (about 3 a second) while there is something to say.
 */
import type { AlertCode, ReportedStatus } from '@smartsession/protocol';

/** The parts of the reported state that make a change worth sending at once. */
export interface PolicyState {
  status: ReportedStatus;
  alert: AlertCode | null;
}

/** Default spacing of routine samples, ms (≈3 messages a second). */
const TELEMETRY_PERIOD_MS = 333;

/** Decides whether to send now. */
export class TelemetryPolicy {
  private last: PolicyState | null = null;
  private lastSentAt = -Infinity;

  constructor(readonly periodMs = TELEMETRY_PERIOD_MS) {}

  /** `'change'` to send at once, `'periodic'` when the period has passed, or null to wait. */
  decide(state: PolicyState, nowMs: number): 'change' | 'periodic' | null {
    if (!this.last || this.last.status !== state.status || this.last.alert !== state.alert) return 'change';
    return nowMs - this.lastSentAt >= this.periodMs ? 'periodic' : null;
  }

  /** Records that `state` was sent at `nowMs`. */
  sent(state: PolicyState, nowMs: number): void {
    this.last = { status: state.status, alert: state.alert };
    this.lastSentAt = nowMs;
  }
}
