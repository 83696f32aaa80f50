import { z } from 'zod';
import { FrameResult } from './frame.js';
import { Reason } from './reason.js';
import { Accommodations, AlertCode, ReportedStatus, SessionSettings, StudentStatus } from './status.js';

/**
 * Version of the wire protocol. Bumped on any incompatible change; the handshake refuses a mismatch
 * with `PROTOCOL_MISMATCH`. History in docs/protocol.md.
 */
export const PROTOCOL_VERSION = 2;

/** Socket.IO event name that carries every message, both ways. The payload is one of the unions below. */
export const MESSAGE_EVENT = 'msg';

/** Limits enforced at the socket boundary. */
export const LIMITS = {
  /** Largest single message, serialized JSON bytes. */
  maxMessageBytes: 16 * 1024,
  /** Largest replay batch, serialized JSON bytes. */
  maxBatchBytes: 512 * 1024,
  /** Most items in one replay batch. */
  maxBatchItems: 600,
  /** Sustained messages per second per student (token bucket refill). */
  ratePerSecond: 20,
  /** Token bucket size: short bursts above the sustained rate. */
  rateBurst: 60,
  /** Longest display name, characters. */
  maxNameLength: 60,
  /**
   * Largest difference between a live message's client time and the server clock, ms (24 h). A device
   * clock further off than this is refused with a message saying so.
   */
  maxClockSkewMs: 24 * 3600_000,
  /** Oldest a replayed item may be (its time on the server clock), ms before now (24 h). */
  maxReplayAgeMs: 24 * 3600_000,
  /** Longest a status may have lasted when a message reports it (`t - since`), ms (24 h). */
  maxStatusAgeMs: 24 * 3600_000,
} as const;

/**
 * Limits of analysis on the server (issue 14): frames a student whose device cannot analyse sends to the
 * server, which analyses them in memory and never stores them.
 */
export const ANALYSIS_LIMITS = {
  /** Largest frame, bytes of JPEG (a 320x240 JPEG is about 10-25 KiB). */
  maxFrameBytes: 64 * 1024,
  /** Largest frame, pixels (the page sends 320x240). */
  maxFrameWidth: 640,
  /** Largest frame, pixels. */
  maxFrameHeight: 480,
  /** Smallest side of a frame, pixels. */
  minFrameSide: 32,
  /** Frames a student may send per second, sustained (token bucket refill). */
  framesPerSecond: 4,
  /** Token bucket size, frames. */
  frameBurst: 4,
  /** Frame interval a student uses while the server has room, ms (2 frames a second). */
  defaultIntervalMs: 500,
  /** Longest interval the server asks for under overload, ms. */
  maxIntervalMs: 5000,
} as const;

/**
 * Latest client time the schema accepts, ms since the epoch (2100-01-01). The server also checks times
 * against its own clock ({@link LIMITS}); this bound keeps any value far inside what storage can hold.
 */
export const MAX_CLIENT_TIME = 4_102_444_800_000;

/**
 * Typed reasons for refusing a connection or a message. A client keeps and re-sends a message refused with
 * `RATE_LIMITED` or `UNAVAILABLE` (storage is down: wait for `resume`); every other refusal is final.
 */
export const ErrorCode = z.enum([
  'PROTOCOL_MISMATCH',
  'BAD_HANDSHAKE',
  'BAD_MESSAGE',
  'TOO_LARGE',
  'RATE_LIMITED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_TOKEN',
  'SESSION_ENDED',
  'CONFLICT',
  'CLASS_FULL',
  'UNAVAILABLE',
  'INTERNAL',
]);
/** Error code. */
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Body of every HTTP error (`{"error":{"code":"…","message":"…"}}`) and `data` of a refused socket connection. */
export const ErrorInfo = z.object({ code: ErrorCode, message: z.string() });
/** Error info. */
export type ErrorInfo = z.infer<typeof ErrorInfo>;

// ---------------------------------------------------------------------------------------------------
// Handshake (Socket.IO `auth` payload)

/** Student handshake: the token returned by `POST /api/join`. */
export const StudentHandshake = z.object({
  role: z.literal('student'),
  protocol: z.number().int(),
  token: z.string().min(16).max(200),
  /**
   * The student agreed to emotion inference on this device (asked only when the session has it on).
   * Absent or false: nothing emotion-shaped is computed, sent, stored or shown for this student, even if
   * the teacher turns emotion on later.
   */
  emotionConsent: z.boolean().optional(),
});
/** Teacher handshake: signed-in cookie (sent by the browser) plus the session to watch. */
export const TeacherHandshake = z.object({
  role: z.literal('teacher'),
  protocol: z.number().int(),
  sessionId: z.string().min(1).max(100),
});
/** Socket.IO `auth` payload. */
export const Handshake = z.discriminatedUnion('role', [StudentHandshake, TeacherHandshake]);
/** Handshake. */
export type Handshake = z.infer<typeof Handshake>;

// ---------------------------------------------------------------------------------------------------
// Student → server

const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** Client wall-clock time, ms since the Unix epoch (the server also checks it against its clock). */
const clientTime = z.number().finite().min(0).max(MAX_CLIENT_TIME);

/** A telemetry frame from a student: the per-frame JSON without `file` (CLI only) and `t` (video only). */
const StudentFrame = FrameResult.omit({ file: true, t: true }).strict();

/** Where a student's frames are analysed: in the student's browser, or on the school's server. */
export const AnalysisPlace = z.enum(['browser', 'server']);
/** Analysis place. */
export type AnalysisPlace = z.infer<typeof AnalysisPlace>;

/**
 * One telemetry sample: the student's status as the engine's proctor timeline decided it, plus the
 * per-frame JSON. `seq` is a per-student sequence number shared with self-reports, starting at 1.
 */
export const TelemetryMessage = z
  .object({
    type: z.literal('telemetry'),
    seq,
    t: clientTime,
    status: ReportedStatus,
    /** Set when `status` is `alert`. */
    alert: AlertCode.nullable(),
    /** Client time (ms) when the current status began: not after `t`, at most `LIMITS.maxStatusAgeMs` before. */
    since: clientTime,
    /** Why, as a code with parameters (`{code: 'LOOKING_AWAY', seconds: 6}`); the pages put it in words. */
    reason: Reason.nullable(),
    /** The analysed frame (never a `file`), or null when nothing was analysed. */
    frame: StudentFrame.nullable(),
    /** Where the frames are analysed: on this device (`browser`) or on the server (`server`). */
    analysis: AnalysisPlace.optional(),
  })
  .refine((m) => m.since <= m.t && m.t - m.since <= LIMITS.maxStatusAgeMs, {
    message: 'since must be at most 24 h before t and not after it',
    path: ['since'],
  });
/** Telemetry sample. */
export type TelemetryMessage = z.infer<typeof TelemetryMessage>;

/** The student pressed "I'm lost" (`lost`) or withdrew it (`resolved`). */
export const SelfReportMessage = z.object({
  type: z.literal('self_report'),
  seq,
  t: clientTime,
  kind: z.enum(['lost', 'resolved']),
});
/** Self-report. */
export type SelfReportMessage = z.infer<typeof SelfReportMessage>;

/** A sequenced student message (what the outbox keeps and replays). */
export const SequencedMessage = z.discriminatedUnion('type', [TelemetryMessage, SelfReportMessage]);
/** Sequenced message. */
export type SequencedMessage = z.infer<typeof SequencedMessage>;

/** Replay of messages kept while offline, oldest first. */
export const BatchMessage = z
  .object({
    type: z.literal('batch'),
    /**
     * Optional: the lowest sequence number this batch accounts for. Every seq from `from` up to the last
     * item's seq that is not among `items` was dropped (thinned) by the client and will never be sent.
     * Absent: the first item's seq.
     */
    from: seq.optional(),
    /** Oldest first: seqs strictly increasing, all at or above `from`. */
    items: z.array(SequencedMessage).min(1).max(LIMITS.maxBatchItems),
  })
  .refine(
    (b) => b.items.every((m, i) => (i === 0 ? m.seq >= (b.from ?? m.seq) : m.seq > b.items[i - 1]!.seq)),
    { message: 'items must have increasing seqs, none below from', path: ['items'] },
  );
/** Replay batch. */
export type BatchMessage = z.infer<typeof BatchMessage>;

/**
 * A student's calibrated neutral face as the engine measures it (the engine's `Baseline`): head angles
 * in degrees, the brow ratios and iris offsets of its measures, and, with emotion on only, the resting
 * P(happy). Numbers about a face, never a picture of it. With analysis on the server the page keeps the
 * one it was given and sends it back with its frames, so a calibration survives a reconnect to another
 * instance or a server restart (each instance holds its students' baselines in memory only).
 */
export const CalibrationBaseline = z.object({
  yaw: z.number().min(-180).max(180),
  pitch: z.number().min(-180).max(180),
  roll: z.number().min(-180).max(180),
  /** Inner-brow gap over the inter-ocular distance. */
  knit: z.number().min(0.01).max(10),
  /** Height of the inner brows above the eye line over the inter-ocular distance (the brow cue divides by it). */
  lower: z.number().min(0.01).max(10),
  irisX: z.number().min(-5).max(5),
  irisY: z.number().min(-5).max(5),
  /** Resting P(happy); null (or absent) with emotion off. */
  happy: z.number().min(0).max(1).nullable().optional(),
  /** Frames it was built from. */
  frames: z.number().int().min(1).max(1_000_000),
  /** First to last calibration frame, ms. */
  durationMs: z.number().min(0).max(86_400_000),
});
/** Calibrated neutral face. */
export type CalibrationBaseline = z.infer<typeof CalibrationBaseline>;

/**
 * One camera frame for analysis on the server (only when the session's `serverAnalysis` is on and the
 * student agreed). Not sequenced, never stored: the server answers `frame_result` with the per-frame JSON,
 * or `frame_refused`. `image` is a JPEG (at most {@link ANALYSIS_LIMITS}) sent as a Socket.IO binary
 * attachment, never base64.
 */
export const AnalysisFrameMessage = z.object({
  type: z.literal('frame'),
  /** The client's frame number, echoed in the answer. */
  id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** Client time the frame was taken, ms (calibration uses it). */
  t: clientTime,
  /** Start (or restart) calibration with this frame: the next seconds of frames set the neutral baseline. */
  calibrate: z.boolean().optional(),
  /**
   * The baseline the server gave this page in an earlier `frame_result`: an instance that holds none for
   * the student (another instance calibrated it, or the server restarted) takes it instead of reading
   * the student uncalibrated. Ignored while a calibration runs or with `calibrate`.
   */
  baseline: CalibrationBaseline.optional(),
  /** JPEG bytes (a Buffer on the server). */
  image: z.union([z.instanceof(Uint8Array), z.instanceof(ArrayBuffer)]),
});
/** Analysis frame. */
export type AnalysisFrameMessage = z.infer<typeof AnalysisFrameMessage>;

/** Every message a student client may send. */
export const StudentClientMessage = z.discriminatedUnion('type', [
  TelemetryMessage,
  SelfReportMessage,
  BatchMessage,
]);
/** Student → server message. */
export type StudentClientMessage = z.infer<typeof StudentClientMessage>;

// ---------------------------------------------------------------------------------------------------
// Server → student

/**
 * First message after a student connects. `lastSeq` is the highest contiguous sequence number already
 * stored; `maxSeq` the highest the server has seen (stored or still being written). A client that kept its
 * outbox replays everything above `lastSeq`; a fresh one (a reloaded page) numbers above `maxSeq`.
 */
export const WelcomeMessage = z.object({
  type: z.literal('welcome'),
  protocol: z.number().int(),
  participantId: z.string(),
  sessionId: z.string(),
  name: z.string(),
  settings: SessionSettings,
  accommodations: Accommodations,
  lastSeq: z.number().int().min(0),
  maxSeq: z.number().int().min(0),
});
/** Welcome. */
export type WelcomeMessage = z.infer<typeof WelcomeMessage>;

/** Everything up to and including `seq` is stored; the client may forget it. */
export const AckMessage = z.object({ type: z.literal('ack'), seq: z.number().int().min(0) });
/** Ack. */
export type AckMessage = z.infer<typeof AckMessage>;

/** A refused message (the connection stays open unless the error says the session ended). */
export const ErrorMessage = z.object({
  type: z.literal('error'),
  error: ErrorInfo,
  seq: z.number().int().optional(),
});
/** Error. */
export type ErrorMessage = z.infer<typeof ErrorMessage>;

/** Settings or accommodations changed by the teacher. */
export const SettingsMessage = z.object({
  type: z.literal('settings'),
  settings: SessionSettings,
  accommodations: Accommodations,
});
/** Settings. */
export type SettingsMessage = z.infer<typeof SettingsMessage>;

/** The teacher ended the session; ingestion has stopped. */
export const SessionEndedMessage = z.object({ type: z.literal('session_ended') });

/**
 * The server cannot store right now (its database is down): keep every message, acks pause, and
 * messages may be refused with `UNAVAILABLE`; send them again after `resume`. Nothing is lost.
 */
export const HoldMessage = z.object({ type: z.literal('hold') });

/** Storage is back: re-send everything not yet acknowledged. */
export const ResumeMessage = z.object({ type: z.literal('resume') });

/** Calibration progress of the analysis, as the in-browser worker reports it too. */
export const CalibrationProgress = z.object({
  /** Collecting neutral frames now. */
  active: z.boolean(),
  /** 0..1 while active; 1 once a baseline exists. */
  progress: z.number().min(0).max(1),
  /** A baseline is set. */
  done: z.boolean(),
});
/** Calibration progress. */
export type CalibrationProgress = z.infer<typeof CalibrationProgress>;

/** The server analysed frame `id`: the same per-frame JSON the in-browser engine makes. */
export const FrameResultMessage = z.object({
  type: z.literal('frame_result'),
  id: z.number().int(),
  frame: StudentFrame,
  calibration: CalibrationProgress,
  /** The baseline in use, once calibrated (`happy` null with emotion off): the page sends it back with its frames. */
  baseline: CalibrationBaseline.optional(),
  /** Server time spent on the frame (waiting, decoding, analysing), ms. */
  analysisMs: z.number().min(0),
});
/** Frame result. */
export type FrameResultMessage = z.infer<typeof FrameResultMessage>;

/**
 * Frame `id` was not analysed, with a typed reason: `FORBIDDEN` (the session does not allow server
 * analysis), `TOO_LARGE` (bytes or pixels over {@link ANALYSIS_LIMITS}), `BAD_MESSAGE` (not a JPEG the
 * server can read), `RATE_LIMITED` (too many frames, or the previous one is still being analysed),
 * `UNAVAILABLE` (analysis is switched off on this server or it is overloaded). Other students are not
 * affected.
 */
export const FrameRefusedMessage = z.object({
  type: z.literal('frame_refused'),
  id: z.number().int().optional(),
  error: ErrorInfo,
});
/** Frame refused. */
export type FrameRefusedMessage = z.infer<typeof FrameRefusedMessage>;

/**
 * How often this student may send frames now, ms between frames. Sent with the first frame's answer and
 * whenever it changes: under overload the server lengthens the interval equally for every student it
 * analyses, and shortens it again when it has room.
 */
export const AnalysisRateMessage = z.object({
  type: z.literal('analysis_rate'),
  intervalMs: z.number().int().min(ANALYSIS_LIMITS.defaultIntervalMs).max(ANALYSIS_LIMITS.maxIntervalMs),
});
/** Analysis rate. */
export type AnalysisRateMessage = z.infer<typeof AnalysisRateMessage>;

/** Every message the server sends a student. */
export const ServerToStudentMessage = z.discriminatedUnion('type', [
  WelcomeMessage,
  AckMessage,
  ErrorMessage,
  SettingsMessage,
  SessionEndedMessage,
  HoldMessage,
  ResumeMessage,
  FrameResultMessage,
  FrameRefusedMessage,
  AnalysisRateMessage,
]);
/** Server → student message. */
export type ServerToStudentMessage = z.infer<typeof ServerToStudentMessage>;

// ---------------------------------------------------------------------------------------------------
// Server → teacher

/** The live state of one student as the dashboard shows it. Times are server ms since the epoch. */
export const StudentState = z.object({
  participantId: z.string(),
  name: z.string(),
  status: StudentStatus,
  alert: AlertCode.nullable(),
  /** Why, as a code with parameters (see {@link Reason}). */
  reason: Reason.nullable(),
  /** 1-based join order in the session: tells two students with the same name apart. */
  number: z.number().int().min(1),
  /** When the current status began (server clock). */
  statusSince: z.number(),
  lastSeenAt: z.number().nullable(),
  connected: z.boolean(),
  /** Last "I'm lost" press still standing, or null. */
  lostSince: z.number().nullable(),
  frame: FrameResult.nullable(),
  accommodations: Accommodations,
  /** Where this student's frames are analysed, as their last telemetry said; absent until known. */
  analysis: AnalysisPlace.optional(),
});
/** Student state. */
export type StudentState = z.infer<typeof StudentState>;

/**
 * An entry of the alerts feed: a proctor alert (`kind: 'proctor'`, `code` set) or an "I'm lost"
 * self-report (`kind: 'self_report'`, `code` null). Open while `endedAt` is null; it auto-resolves when the
 * condition ends. Times are server ms.
 */
export const AlertRecord = z.object({
  id: z.string(),
  participantId: z.string(),
  kind: z.enum(['proctor', 'self_report']),
  code: AlertCode.nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
});
/** Alert record. */
export type AlertRecord = z.infer<typeof AlertRecord>;

/** A teacher's marker on the class timeline ("started fractions"). Time is server ms. */
export const Marker = z.object({ id: z.string(), t: z.number(), label: z.string().min(1).max(120) });
/** Marker. */
export type Marker = z.infer<typeof Marker>;

/** Full state of a session, sent when a teacher connects (and after a reconnect). */
export const SnapshotMessage = z.object({
  type: z.literal('snapshot'),
  sessionId: z.string(),
  serverTime: z.number(),
  settings: SessionSettings,
  endedAt: z.number().nullable(),
  students: z.array(StudentState),
  /** Open alerts and those of the last hour, oldest first. */
  alerts: z.array(AlertRecord),
  markers: z.array(Marker),
});
/** Snapshot. */
export type SnapshotMessage = z.infer<typeof SnapshotMessage>;

/** A student's status, connection or name changed. Sent at once, never batched. */
export const StudentUpdateMessage = z.object({ type: z.literal('student'), student: StudentState });
/** Student update. */
export type StudentUpdateMessage = z.infer<typeof StudentUpdateMessage>;

/** One numeric sample for the live charts. */
export const Sample = z.object({
  participantId: z.string(),
  /** Server receive time, ms. */
  t: z.number(),
  /** Client send time, ms (for delay measurement). */
  ct: z.number(),
  seq: z.number().int(),
  score: z.number().min(0).max(1).nullable(),
  status: StudentStatus,
});
/** Sample. */
export type Sample = z.infer<typeof Sample>;

/** Numeric samples, batched (at most every `SAMPLE_BATCH_MS`). */
export const SamplesMessage = z.object({ type: z.literal('samples'), items: z.array(Sample) });
/** Samples. */
export type SamplesMessage = z.infer<typeof SamplesMessage>;

/** An alert opened, ended or was acknowledged. Sent at once. */
export const AlertUpdateMessage = z.object({ type: z.literal('alert'), alert: AlertRecord });
/** Alert update. */
export type AlertUpdateMessage = z.infer<typeof AlertUpdateMessage>;

/** The teacher (or a co-teacher) dropped a marker. */
export const MarkerMessage = z.object({ type: z.literal('marker'), marker: Marker });
/** Marker message. */
export type MarkerMessage = z.infer<typeof MarkerMessage>;

/** Session settings changed (mode, privacy, emotion). */
export const SessionSettingsMessage = z.object({
  type: z.literal('session_settings'),
  settings: SessionSettings,
});

/**
 * The server's own health as a teacher should know it: `storage: 'down'` means live updates go on but
 * nothing is being saved yet (students keep their data and it is saved when storage is back);
 * `cluster: 'down'` means other server instances cannot be reached (students connected to another
 * instance may not show). Sent after the snapshot and whenever it changes.
 */
export const ServiceMessage = z.object({
  type: z.literal('service'),
  storage: z.enum(['ok', 'down']),
  cluster: z.enum(['ok', 'down', 'single']),
});
/** Service status. */
export type ServiceMessage = z.infer<typeof ServiceMessage>;

/** How long the server may hold numeric samples before sending them to the teacher, ms. */
export const SAMPLE_BATCH_MS = 250;

/** Every message the server sends a teacher. */
export const ServerToTeacherMessage = z.discriminatedUnion('type', [
  SnapshotMessage,
  StudentUpdateMessage,
  SamplesMessage,
  AlertUpdateMessage,
  MarkerMessage,
  SessionSettingsMessage,
  ErrorMessage,
  SessionEndedMessage,
  ServiceMessage,
]);
/** Server → teacher message. */
export type ServerToTeacherMessage = z.infer<typeof ServerToTeacherMessage>;
