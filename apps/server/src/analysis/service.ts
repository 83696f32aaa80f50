/**
 * Analysis on the server (issue 14), the shell between the student sockets and the thread pool: checks
 * each inbound frame (session allows it, size, JPEG header, rate) and answers with a typed refusal or
 * queues it fairly ({@link FairScheduler}); analyses it on a thread; runs the student's calibration; and
 * answers `frame_result` with the same per-frame JSON the in-browser engine makes. Frames live in memory
 * only, for the time of their analysis: never written to disk, the database or a log line.
 */
import type { Logger } from 'pino';
import { Calibrator, type Baseline } from '@smartsession/engine';
import {
  ANALYSIS_LIMITS,
  AnalysisFrameMessage,
  CalibrationBaseline,
  type EmotionSetting,
  type ErrorCode,
  type ServerToStudentMessage,
  type SessionSettings,
} from '@smartsession/protocol';
import { TokenBucket } from '../live/rate.js';
import { jpegSize } from './jpeg.js';
import { EnginePool } from './pool.js';
import { FairScheduler } from './scheduler.js';
import type { AnalysisJob, AnalysisReply } from './worker.js';
import { firstIssue } from '../validation.js';

/** What the service needs to know about a student connected here (from the live hub). */
interface StudentAnalysisContext {
  settings: SessionSettings;
  emotionConsent: boolean;
  ended: boolean;
}

/** Where the service asks about students. */
interface AnalysisDirectory {
  /** The student's session settings and consent, or null when not connected here. */
  analysisContext(participantId: string, sessionId: string): StudentAnalysisContext | null;
}

/** Options of {@link AnalysisService}. */
export interface AnalysisOptions {
  /** Analysis threads; 0 turns analysis on the server off. */
  workers: number;
  /** Share of the threads' time analysis may use (0..1]. Default 0.8. */
  budget?: number;
  log: Logger;
  directory: AnalysisDirectory;
  clock?: () => number;
}

/** One student's analysis state on this instance. */
interface StudentState {
  send: (msg: ServerToStudentMessage) => void;
  bucket: TokenBucket;
  baseline: Baseline | null;
  calibrator: Calibrator | null;
  /** The interval this student was last told, ms (null: not yet). */
  told: number | null;
  lastSeen: number;
}

interface Job {
  frameId: number;
  receivedAt: number;
  t: number;
  image: Uint8Array;
  emotion: EmotionSetting;
}

/** Students idle this long are forgotten (their baseline with them), ms. */
const FORGET_MS = 10 * 60_000;

/** A student's frame as the socket layer hands it over. */
export function isFrameMessage(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'frame';
}

/** Counters for the benchmark, tests and metrics. */
export interface AnalysisStats {
  analysed: number;
  refused: Partial<Record<ErrorCode, number>>;
  queued: number;
  intervalMs: number;
  averageServiceMs: number | null;
  threads: number;
  /** Engines loaded on the threads, by emotion setting. */
  engines: { on: number; off: number };
}

/** The server's analysis service. */
export class AnalysisService {
  private readonly pool: EnginePool;
  private readonly scheduler: FairScheduler<Job>;
  private readonly students = new Map<string, StudentState>();
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;
  private nextJob = 1;
  private closing = false;
  private readonly stats_: AnalysisStats;

  constructor(private readonly options: AnalysisOptions) {
    this.clock = options.clock ?? Date.now;
    this.pool = new EnginePool(options.workers, options.log, () => this.pump());
    this.scheduler = new FairScheduler<Job>({
      workers: Math.max(1, options.workers),
      budget: options.budget,
    });
    this.stats_ = {
      analysed: 0,
      refused: {},
      queued: 0,
      intervalMs: ANALYSIS_LIMITS.defaultIntervalMs,
      averageServiceMs: null,
      threads: 0,
      engines: { on: 0, off: 0 },
    };
  }

  /** True when this server analyses frames at all (ANALYSIS_WORKERS > 0). */
  get enabled(): boolean {
    return this.options.workers > 0;
  }

  /** Counters. */
  stats(): AnalysisStats {
    return {
      ...this.stats_,
      refused: { ...this.stats_.refused },
      queued: this.scheduler.queued,
      intervalMs: this.scheduler.intervalMs,
      averageServiceMs: this.scheduler.averageServiceMs,
      threads: this.pool.started,
      engines: this.engineCount(),
    };
  }

  /** Engines per emotion setting, from the threads' latest answers. */
  private readonly threadEngines = new Map<number, EmotionSetting[]>();
  private engineCount(): { on: number; off: number } {
    const out = { on: 0, off: 0 };
    for (const list of this.threadEngines.values()) for (const e of list) out[e]++;
    return out;
  }

  /**
   * Handles one raw `frame` message of `bytes` wire bytes from a student connected here; every answer
   * goes through `send`.
   */
  frame(
    participantId: string,
    sessionId: string,
    raw: unknown,
    bytes: number,
    send: (msg: ServerToStudentMessage) => void,
  ): void {
    const now = this.clock();
    const rawId = (raw as { id?: unknown }).id;
    const id = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? rawId : undefined;
    const refuse = (code: ErrorCode, message: string) => {
      this.stats_.refused[code] = (this.stats_.refused[code] ?? 0) + 1;
      send({ type: 'frame_refused', ...(id === undefined ? {} : { id }), error: { code, message } });
    };
    const { maxFrameBytes, maxFrameWidth, maxFrameHeight, minFrameSide } = ANALYSIS_LIMITS;
    if (bytes > maxFrameBytes + 1024)
      return refuse('TOO_LARGE', `A frame may have at most ${maxFrameBytes} bytes; this one had ${bytes}`);
    const ctx = this.options.directory.analysisContext(participantId, sessionId);
    if (!ctx) return;
    if (ctx.ended) return refuse('SESSION_ENDED', 'This class has ended');
    if (ctx.settings.serverAnalysis !== true)
      return refuse('FORBIDDEN', 'This class does not allow analysis on the server');
    if (!this.enabled) return refuse('UNAVAILABLE', 'Analysis on the server is switched off on this server');
    const st = this.student(participantId, send, now);
    if (!st.bucket.take(now))
      return refuse('RATE_LIMITED', `Too many frames: at most ${ANALYSIS_LIMITS.framesPerSecond} a second`);
    const parsed = AnalysisFrameMessage.safeParse(raw);
    if (!parsed.success) return refuse('BAD_MESSAGE', `Invalid frame: ${firstIssue(parsed.error)}`);
    const msg = parsed.data;
    const image = msg.image instanceof Uint8Array ? msg.image : new Uint8Array(msg.image);
    if (image.byteLength > maxFrameBytes)
      return refuse(
        'TOO_LARGE',
        `A frame may have at most ${maxFrameBytes} bytes; this one had ${image.byteLength}`,
      );
    const size = jpegSize(image);
    if (!size) return refuse('BAD_MESSAGE', 'The frame is not a JPEG image');
    if (size.width > maxFrameWidth || size.height > maxFrameHeight)
      return refuse(
        'TOO_LARGE',
        `A frame may be at most ${maxFrameWidth}x${maxFrameHeight} pixels; this one is ${size.width}x${size.height}`,
      );
    if (size.width < minFrameSide || size.height < minFrameSide)
      return refuse('BAD_MESSAGE', `A frame must be at least ${minFrameSide} pixels on each side`);
    const emotion: EmotionSetting = ctx.settings.emotion === 'on' && ctx.emotionConsent ? 'on' : 'off';
    if (msg.calibrate) st.calibrator = new Calibrator({});
    // A baseline this instance does not hold: the student calibrated on another instance, or before a
    // restart. Taking it back keeps the student's readings relative to their own face.
    else if (msg.baseline && !st.baseline && !st.calibrator)
      st.baseline = { ...msg.baseline, happy: emotion === 'on' ? (msg.baseline.happy ?? null) : null };
    const refusal = this.scheduler.offer(
      participantId,
      { frameId: msg.id, receivedAt: now, t: msg.t, image, emotion },
      now,
    );
    if (refusal === 'busy')
      return refuse('RATE_LIMITED', 'The previous frame is still being analysed; this one was skipped');
    if (refusal === 'too_soon')
      return refuse(
        'RATE_LIMITED',
        `Frames too close together: send one every ${this.scheduler.intervalMs} ms at most`,
      );
    if (refusal === 'full') return refuse('UNAVAILABLE', 'The server is busy; this frame was skipped');
    if (st.told === null) this.tellInterval(st, this.scheduler.intervalMs);
    this.ensureTimer();
    this.pump();
  }

  /** The student left this instance: a frame still queued is dropped (the state is kept a while). */
  disconnected(participantId: string): void {
    this.scheduler.forget(participantId);
  }

  private student(id: string, send: StudentState['send'], now: number): StudentState {
    let st = this.students.get(id);
    if (!st) {
      st = {
        send,
        bucket: new TokenBucket(ANALYSIS_LIMITS.framesPerSecond, ANALYSIS_LIMITS.frameBurst, now),
        baseline: null,
        calibrator: null,
        told: null,
        lastSeen: now,
      };
      this.students.set(id, st);
    }
    st.send = send;
    st.lastSeen = now;
    return st;
  }

  private tellInterval(st: StudentState, intervalMs: number): void {
    st.told = intervalMs;
    st.send({ type: 'analysis_rate', intervalMs });
  }

  /** Hands queued frames to free threads, oldest first. */
  private pump(): void {
    while (this.pool.free > 0) {
      const now = this.clock();
      const { frame, expired } = this.scheduler.next(now);
      for (const f of expired) {
        this.stats_.refused.UNAVAILABLE = (this.stats_.refused.UNAVAILABLE ?? 0) + 1;
        this.students.get(f.student)?.send({
          type: 'frame_refused',
          id: f.job.frameId,
          error: { code: 'UNAVAILABLE', message: 'The server is busy; this frame waited too long' },
        });
      }
      if (!frame) return;
      const st = this.students.get(frame.student);
      const job: AnalysisJob = {
        jobId: this.nextJob++,
        emotion: frame.job.emotion,
        image: frame.job.image,
        t: frame.job.t,
        baseline: st?.baseline ?? null,
      };
      const running = this.pool.tryRun(job);
      if (!running) {
        this.scheduler.done(frame.student, null);
        return;
      }
      void running.then((reply) => this.answer(frame.student, frame.job, reply));
    }
  }

  private answer(student: string, job: Job, reply: AnalysisReply): void {
    this.scheduler.done(student, reply.ok ? reply.decodeMs + reply.analyzeMs : null);
    const st = this.students.get(student);
    if (!st) return;
    if (!reply.ok) {
      this.stats_.refused[reply.code] = (this.stats_.refused[reply.code] ?? 0) + 1;
      if (reply.code === 'INTERNAL' && !this.closing)
        this.options.log.warn({ reason: reply.message }, 'frame analysis failed');
      st.send({
        type: 'frame_refused',
        id: job.frameId,
        error: {
          code: reply.code,
          message: reply.code === 'INTERNAL' ? 'The frame could not be analysed' : reply.message,
        },
      });
      return;
    }
    this.stats_.analysed++;
    this.threadEngines.set(reply.thread, reply.engines);
    const { frame, measures } = reply;
    const cal = st.calibrator;
    if (cal && measures && frame.face_count === 1 && !frame.quality?.unreliable) {
      cal.add(measures, job.t, frame.happy_prob);
      const baseline = cal.result();
      if (baseline) {
        st.baseline = baseline;
        st.calibrator = null;
      }
    }
    const calibration = st.calibrator
      ? { active: true, progress: st.calibrator.progress, done: false }
      : { active: false, progress: st.baseline ? 1 : 0, done: st.baseline !== null };
    // Not while a new calibration runs: the page keeps only a finished one. Only one the frame schema
    // accepts back, or the page's next frames would be refused.
    const carried =
      st.baseline && !st.calibrator
        ? CalibrationBaseline.safeParse({
            ...st.baseline,
            happy: job.emotion === 'on' ? (st.baseline.happy ?? null) : null,
          })
        : null;
    const baseline = carried?.success ? carried.data : undefined;
    st.send({
      type: 'frame_result',
      id: job.frameId,
      frame,
      calibration,
      ...(baseline ? { baseline } : {}),
      analysisMs: Math.max(0, this.clock() - job.receivedAt),
    });
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.retune(), 1000);
    this.timer.unref();
  }

  /** Once a second: the interval for everyone, and forgetting students long gone. */
  private retune(): void {
    const now = this.clock();
    const changed = this.scheduler.retune(now);
    const interval = this.scheduler.intervalMs;
    for (const [id, st] of this.students) {
      if (now - st.lastSeen > FORGET_MS) {
        this.students.delete(id);
        this.scheduler.forget(id);
        continue;
      }
      const active = now - st.lastSeen <= this.scheduler.activeWindowMs;
      if (active && (changed !== null || st.told !== interval)) this.tellInterval(st, interval);
    }
    if (this.students.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pool.close();
  }
}
