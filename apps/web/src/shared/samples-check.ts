/**
 * A cheap check of the teacher's most frequent message, `samples` (hundreds of items a second with a large
 * class): plain type tests with the same rules as the protocol's `SamplesMessage` schema, without building
 * a validated copy of every item. Anything that fails it goes through the full schema, which gives the
 * error (see `socket.ts`), so a bad message is still rejected with a clear reason.
 */
import { StudentStatus, type SamplesMessage } from '@smartsession/protocol';

const STATUSES: ReadonlySet<unknown> = new Set(StudentStatus.options);

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** True when `raw` is a valid `samples` message (every rule of `SamplesMessage`; unknown keys are ignored). */
export function isSamplesMessage(raw: unknown): raw is SamplesMessage {
  if (typeof raw !== 'object' || raw === null) return false;
  const msg = raw as { type?: unknown; items?: unknown };
  if (msg.type !== 'samples' || !Array.isArray(msg.items)) return false;
  for (const it of msg.items as unknown[]) {
    if (typeof it !== 'object' || it === null) return false;
    const s = it as Record<string, unknown>;
    if (
      typeof s.participantId !== 'string' ||
      !isNumber(s.t) ||
      !isNumber(s.ct) ||
      !Number.isSafeInteger(s.seq) ||
      !(s.score === null || (isNumber(s.score) && s.score >= 0 && s.score <= 1)) ||
      !STATUSES.has(s.status)
    )
      return false;
  }
  return true;
}
