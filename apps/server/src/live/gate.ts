/**
 * The inbound gate of student messages (pure; time injected): every limit and check a message passes
 * before the room sees it, in order, each refusal with a typed code and a reason. Final refusals account
 * for the message's seqs (the client was told and will not re-send them); retry refusals (`RATE_LIMITED`,
 * `UNAVAILABLE`) hold them as open gaps until the client re-sends them.
 */
import {
  LIMITS,
  StudentClientMessage,
  type BatchMessage,
  type ErrorCode,
  type SequencedMessage,
} from '@smartsession/protocol';
import type { ParticipantLimits } from './limits.js';
import type { HeldCode, SessionRoom } from './room.js';
import { firstIssue } from '../validation.js';
import { canonicalCheck } from './canonical.js';

/**
 * A message already in the form zod's parse returns is taken as it is, without the copy (see canonical.ts);
 * any other goes through zod.
 */
const canonical = canonicalCheck(StudentClientMessage);

/** The gate's verdict on one message. */
export type GateResult =
  | { ok: true; msg: SequencedMessage | BatchMessage }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      /** The message's own seq (single messages), echoed in the `error`. */
      seq: number | undefined;
      /** Held: the client keeps the message and re-sends it. */
      retry: boolean;
    };

/** What the gate needs to know besides the message. */
export interface GateContext {
  room: SessionRoom;
  participantId: string;
  limits: ParticipantLimits;
  /** Serialized size of the packet that carried the message, bytes. */
  bytes: number;
  /** True while storage is down and the writes waiting for it have reached their bound. */
  storageFull: boolean;
  now: number;
}

/** Seqs carried by a raw (unvalidated) message or batch; at most `LIMITS.maxBatchItems`. */
function rawSeqs(raw: unknown): number[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const r = raw as { seq?: unknown; items?: unknown };
  const list = Array.isArray(r.items) ? r.items.slice(0, LIMITS.maxBatchItems) : [r];
  const out: number[] = [];
  for (const item of list) {
    const seq = (item as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number') out.push(seq);
  }
  return out;
}

function rawItems(raw: object): number {
  const items = (raw as { items?: unknown }).items;
  return Array.isArray(items) ? items.length : 0;
}

/** Runs every check on one raw student message; the room's state changes only for refused seqs. */
export function admit(raw: unknown, ctx: GateContext): GateResult {
  const { room, participantId: id, limits, now } = ctx;
  const own =
    typeof raw === 'object' && raw !== null && typeof (raw as { seq?: unknown }).seq === 'number'
      ? (raw as { seq: number }).seq
      : undefined;
  const final = (code: ErrorCode, message: string): GateResult => {
    room.refuse(id, rawSeqs(raw));
    return { ok: false, code, message, seq: own, retry: false };
  };
  const held = (code: HeldCode, message: string): GateResult => {
    room.hold(id, rawSeqs(raw), code);
    return { ok: false, code, message, seq: own, retry: true };
  };

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      ok: false,
      code: 'BAD_MESSAGE',
      message: 'A message must be a JSON object',
      seq: undefined,
      retry: false,
    };
  const isBatch = (raw as { type?: unknown }).type === 'batch';
  const max = isBatch ? LIMITS.maxBatchBytes : LIMITS.maxMessageBytes;
  if (ctx.bytes > max) return final('TOO_LARGE', `Message of ${ctx.bytes} bytes exceeds ${max}`);
  if (room.endedAt !== null)
    return {
      ok: false,
      code: 'SESSION_ENDED',
      message: 'This class has ended; nothing more is recorded',
      seq: own,
      retry: false,
    };
  if (!limits.takeMessage(id, isBatch ? rawItems(raw) : 0, now))
    return held('RATE_LIMITED', 'Too many messages; slow down');
  let msg: StudentClientMessage;
  if (canonical?.(raw)) msg = raw as StudentClientMessage;
  else {
    const parsed = StudentClientMessage.safeParse(raw);
    if (!parsed.success) return final('BAD_MESSAGE', `Invalid message: ${firstIssue(parsed.error)}`);
    msg = parsed.data;
  }
  const problem = room.check(id, msg, now);
  if (problem) return final('BAD_MESSAGE', problem);
  const waiting = room.waitingFor(id, msg);
  if (waiting) return held(waiting, 'An earlier message must be sent again first');
  if (ctx.storageFull)
    return held('UNAVAILABLE', 'Storage is unavailable; keep this message and send it again after resume');
  if (limits.rowsExhausted(id, now)) return held('RATE_LIMITED', 'Too much data stored; slow down');
  return { ok: true, msg };
}
