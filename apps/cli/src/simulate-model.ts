import { unanalysedFrame } from '@smartsession/engine';
/**
 * A synthetic student's behaviour (pure, seeded): mostly focused, with bouts of confusion, looking
 * away, leaving the frame and the odd "I'm lost". Produces valid telemetry bodies (FrameResult frames
 * whose contributions sum to the score) for the simulator, the demo and the benchmarks.
 */
import type {
  AlertCode,
  FrameResult,
  Reason,
  ReportedStatus,
  UnsequencedSelfReport,
  UnsequencedTelemetry,
} from '@smartsession/protocol';

/** Deterministic PRNG (mulberry32), 0..1. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Phase = 'calibrating' | 'focused' | 'confused' | 'away' | 'gone' | 'crowd';

/** Mean phase lengths in seconds, and how likely each phase follows `focused`. */
const PHASES: Record<Exclude<Phase, 'calibrating' | 'focused'>, { p: number; mean: number }> = {
  confused: { p: 0.45, mean: 14 },
  away: { p: 0.3, mean: 6 },
  gone: { p: 0.18, mean: 8 },
  crowd: { p: 0.07, mean: 5 },
};
const FOCUSED_MEAN_S = 35;
const CALIBRATION_S = 3;

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Frame for a given situation (weights of the seed's formula: brow 0.5, 1-happy 0.35, tilt 0.15). */
function makeFrame(rand: () => number, phase: Phase, emotion: boolean, yawSign: number): FrameResult {
  const faces = phase === 'gone' ? 0 : phase === 'crowd' ? 2 : 1;
  if (faces === 0) {
    return {
      ...unanalysedFrame(0),
      quality: { brightness: null, faceSize: null, confidence: null, unreliable: false },
    };
  }
  const confused = phase === 'confused';
  const brow = clamp01((confused ? 0.65 : 0.15) + (rand() - 0.5) * 0.2);
  const happy = clamp01((confused ? 0.1 : 0.35) + (rand() - 0.5) * 0.2);
  const tilt = clamp01((confused ? 0.5 : 0.1) + (rand() - 0.5) * 0.2);
  const c = {
    brow: round(0.5 * brow),
    happy: emotion ? round(0.35 * (1 - happy)) : null,
    tilt: round(0.15 * tilt),
  };
  const score = round(clamp01(c.brow + (c.happy ?? 0) + c.tilt));
  const yaw = phase === 'away' ? yawSign * (30 + rand() * 15) : (rand() - 0.5) * 8;
  const gaze = Math.abs(yaw) > 20 ? (yaw > 0 ? 'LEFT' : 'RIGHT') : 'CENTER';
  return {
    face_count: faces,
    status: faces > 1 ? 'MULTIPLE PEOPLE' : 'OK',
    emotion: emotion
      ? score > 0.5
        ? 'Confused'
        : happy > 0.5
          ? 'Happy / Engaged'
          : 'Focused / Neutral'
      : null,
    happy_prob: emotion ? round(happy) : null,
    gaze,
    confused: score > 0.5,
    confusion_score: score,
    head: { yaw: round(yaw, 1), pitch: round((rand() - 0.5) * 10, 1), roll: round((rand() - 0.5) * 6, 1) },
    eyes: gaze,
    signals: { brow: round(brow), happy: emotion ? round(1 - happy) : null, tilt: round(tilt) },
    contributions: c,
    quality: {
      brightness: round(0.5 + rand() * 0.1),
      faceSize: round(0.3 + rand() * 0.1),
      confidence: 0.95,
      unreliable: false,
    },
  };
}

/** Options of a {@link SimulatedStudent}. */
export interface StudentModelOptions {
  seed: number;
  /** Emotion inference on (else emotion fields are null). */
  emotion?: boolean;
  /** Seconds looking away before `GAZE_AWAY` (default 4). */
  lookAwaySeconds?: number;
  /** Probability per second of pressing "I'm lost" while confused (default 0.02). */
  lostPerSecond?: number;
}

/** One synthetic student: call {@link SimulatedStudent.step} at the sampling rate. */
export class SimulatedStudent {
  private readonly rand: () => number;
  private phase: Phase = 'calibrating';
  private phaseEnds: number;
  private phaseStart: number;
  private status: ReportedStatus = 'calibrating';
  private since: number;
  private lost = false;
  private yawSign = 1;
  emotion: boolean;
  lookAwaySeconds: number;
  private readonly lostPerSecond: number;

  /** `now`: client ms when the student starts. */
  constructor(options: StudentModelOptions, now: number) {
    this.rand = seededRandom(options.seed);
    this.emotion = options.emotion ?? true;
    this.lookAwaySeconds = options.lookAwaySeconds ?? 4;
    this.lostPerSecond = options.lostPerSecond ?? 0.02;
    this.phaseStart = now;
    this.since = now;
    this.phaseEnds = now + CALIBRATION_S * 1000;
  }

  private exp(meanS: number): number {
    return -Math.log(1 - this.rand()) * meanS * 1000;
  }

  private nextPhase(now: number): void {
    let next: Phase = 'focused';
    if (this.phase === 'focused') {
      let r = this.rand();
      next = 'confused';
      for (const [name, { p }] of Object.entries(PHASES)) {
        if (r < p) {
          next = name as Phase;
          break;
        }
        r -= p;
      }
    }
    this.phase = next;
    this.phaseStart = now;
    this.yawSign = this.rand() < 0.5 ? 1 : -1;
    const mean = next === 'focused' ? FOCUSED_MEAN_S : PHASES[next as keyof typeof PHASES].mean;
    this.phaseEnds = now + Math.max(1000, this.exp(mean));
  }

  /** What the proctor timeline would report in the current phase. */
  private decide(now: number): { status: ReportedStatus; alert: AlertCode | null; reason: Reason | null } {
    const inPhase = (now - this.phaseStart) / 1000;
    switch (this.phase) {
      case 'calibrating':
        return { status: 'calibrating', alert: null, reason: { code: 'CALIBRATING' } };
      case 'confused':
        return {
          status: 'confused',
          alert: null,
          reason: { code: 'BROWS_LOWERED', seconds: Math.floor(inPhase) },
        };
      case 'away':
        return inPhase >= this.lookAwaySeconds
          ? {
              status: 'alert',
              alert: 'GAZE_AWAY',
              reason: { code: 'LOOKING_AWAY', seconds: Math.floor(inPhase) },
            }
          : { status: 'focused', alert: null, reason: null };
      case 'gone':
        return inPhase >= 2
          ? {
              status: 'alert',
              alert: 'NO_PERSON',
              reason: { code: 'NO_ONE_IN_VIEW', seconds: Math.floor(inPhase) },
            }
          : { status: 'focused', alert: null, reason: null };
      case 'crowd':
        return inPhase >= 2
          ? { status: 'alert', alert: 'MULTIPLE_PEOPLE', reason: { code: 'PEOPLE_IN_VIEW', count: 2 } }
          : { status: 'focused', alert: null, reason: null };
      default:
        return { status: 'focused', alert: null, reason: null };
    }
  }

  /**
   * Advances to `now` (client ms) and returns the messages to send: one telemetry sample, preceded by a
   * self-report when the student presses or withdraws "I'm lost". `dtS`: seconds since the last step.
   */
  step(now: number, dtS: number): Array<UnsequencedTelemetry | UnsequencedSelfReport> {
    if (now >= this.phaseEnds) this.nextPhase(now);
    const out: Array<UnsequencedTelemetry | UnsequencedSelfReport> = [];
    if (!this.lost && this.phase === 'confused' && this.rand() < this.lostPerSecond * dtS) {
      this.lost = true;
      out.push({ type: 'self_report', t: now, kind: 'lost' });
    } else if (this.lost && this.phase === 'focused' && this.rand() < 0.1 * dtS) {
      this.lost = false;
      out.push({ type: 'self_report', t: now, kind: 'resolved' });
    }
    const d = this.decide(now);
    if (d.status !== this.status) {
      this.status = d.status;
      this.since = now;
    }
    out.push({
      type: 'telemetry',
      t: now,
      status: d.status,
      alert: d.alert,
      since: this.since,
      reason: d.reason,
      frame: makeFrame(
        this.rand,
        this.phase === 'calibrating' ? 'focused' : this.phase,
        this.emotion,
        this.yawSign,
      ),
    });
    return out;
  }
}
