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

/** What the policy remembers: the last state sent and when (ms). */
export interface PolicyMemory {
  last: PolicyState | null;
  lastSentAt: number;
}

/** Nothing sent yet. */
export const NOTHING_SENT: PolicyMemory = { last: null, lastSentAt: -Infinity };

/** Default spacing of routine samples, ms (≈3 messages a second). */
const TELEMETRY_PERIOD_MS = 333;

/** `'change'` to send at once, `'periodic'` when the period has passed, or null to wait. */
export function decideSend(
  memory: PolicyMemory,
  state: PolicyState,
  nowMs: number,
  periodMs = TELEMETRY_PERIOD_MS,
): 'change' | 'periodic' | null {
  const last = memory.last;
  if (!last || last.status !== state.status || last.alert !== state.alert) return 'change';
  return nowMs - memory.lastSentAt >= periodMs ? 'periodic' : null;
}

/** The memory after sending `state` at `nowMs`. */
export function recordSent(state: PolicyState, nowMs: number): PolicyMemory {
  return { last: { status: state.status, alert: state.alert }, lastSentAt: nowMs };
}

/** Decides whether to send now (a stateful wrapper of {@link decideSend}). */
export class TelemetryPolicy {
  private memory = NOTHING_SENT;

  constructor(readonly periodMs = TELEMETRY_PERIOD_MS) {}

  /** `'change'` to send at once, `'periodic'` when the period has passed, or null to wait. */
  decide(state: PolicyState, nowMs: number): 'change' | 'periodic' | null {
    return decideSend(this.memory, state, nowMs, this.periodMs);
  }

  /** Records that `state` was sent at `nowMs`. */
  sent(state: PolicyState, nowMs: number): void {
    this.memory = recordSent(state, nowMs);
  }
}
