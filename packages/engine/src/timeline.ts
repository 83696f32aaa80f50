import type {
  Accommodations,
  AlertCode,
  FrameResult,
  Reason,
  ReportedStatus,
  SessionMode,
  SessionSettings,
} from '@smartsession/protocol';

/** Options of a {@link ProctorTimeline}; per session, overridden per student (accommodations). */
export interface TimelineOptions {
  /** `support`: pausing shows `paused`, hidden pages raise nothing. `exam`: both raise alerts. */
  mode: SessionMode;
  /** Seconds the head may point away from the screen before `GAZE_AWAY` (default 4). */
  lookAwaySeconds: number;
  /** False = no `GAZE_AWAY` at all (accommodation). */
  gazeChecks: boolean;
  /** Seconds with nobody in view before `NO_PERSON` (default 3). */
  noPersonGraceSeconds: number;
  /** Seconds with more than one face before `MULTIPLE_PEOPLE` (default 2). */
  multiplePeopleGraceSeconds: number;
  /** Seconds of unreliable frames before `no-signal` (default 1). */
  noSignalGraceSeconds: number;
  /** Score threshold of the confused flag (default the seed's 0.58). */
  confusedThreshold: number;
  /** Seconds the frame must stay confused before the status turns `confused` (default 2). */
  confusedEnterSeconds: number;
  /** Seconds the score must stay below `confusedThreshold − confusedExitMargin` to leave `confused` (default 3). */
  confusedExitSeconds: number;
  /** Hysteresis margin on the score, 0..1 (default 0.08). */
  confusedExitMargin: number;
}

/** Defaults of {@link TimelineOptions}. */
export const DEFAULT_TIMELINE_OPTIONS: Readonly<TimelineOptions> = Object.freeze({
  mode: 'support',
  lookAwaySeconds: 4,
  gazeChecks: true,
  noPersonGraceSeconds: 3,
  multiplePeopleGraceSeconds: 2,
  noSignalGraceSeconds: 1,
  confusedThreshold: 0.58,
  confusedEnterSeconds: 2,
  confusedExitSeconds: 3,
  confusedExitMargin: 0.08,
});

/**
 * The accommodation rule, in one place: a student's timeline options from the session's settings (mode,
 * look-away limit in seconds) and that student's accommodations, which win where they are set (a longer
 * look-away limit in seconds; `gazeChecks: false` turns `GAZE_AWAY` off). Used by the student page and
 * the simulator, so a simulated student looks away exactly as long as a real one may.
 */
export function studentTimelineOptions(
  settings: Pick<SessionSettings, 'mode' | 'lookAwaySeconds'>,
  accommodations: Accommodations,
): Pick<TimelineOptions, 'mode' | 'lookAwaySeconds' | 'gazeChecks'> {
  return {
    mode: settings.mode,
    lookAwaySeconds: accommodations.lookAwaySeconds ?? settings.lookAwaySeconds,
    gazeChecks: accommodations.gazeChecks ?? true,
  };
}

/** The timeline's output: exactly the status fields of a `telemetry` message. */
export interface TimelineState {
  /** The student's status. */
  status: ReportedStatus;
  /** Set when `status` is `alert`. */
  alert: AlertCode | null;
  /** Clock time (ms) when this status/alert began. */
  since: number;
  /** Why, as a code with parameters (`{code: 'LOOKING_AWAY', seconds: 6}`): observable cues, never emotions. */
  reason: Reason | null;
}

/** A clock in ms; tests inject a fake one. */
export type Clock = () => number;

type Verdict = Omit<TimelineState, 'since'>;

const secs = (ms: number): number => Math.max(0, Math.floor(ms / 1000));

/**
 * The proctor state machine (pure; time comes from the injected clock or the `t` arguments, in ms).
 * Feed it every analysed frame with {@link update} and the page events; read {@link state}.
 *
 * Rules: `GAZE_AWAY` once the head points away (gaze not CENTER) for longer than `lookAwaySeconds`,
 * reset when it returns; `NO_PERSON` / `MULTIPLE_PEOPLE` only after their grace periods, so one bad
 * frame raises nothing; `confused` with time and score hysteresis; `no-signal` for unreliable frames
 * (too dark, too small, unclear) instead of an alert. Page events win over frames: camera off, then
 * paused (`PAUSED` alert in exam mode), then a hidden page (`TAB_HIDDEN`, exam mode only), then
 * calibrating.
 */
export class ProctorTimeline {
  #opt: TimelineOptions;
  readonly #clock: Clock;
  #state: TimelineState;
  #frameVerdict: Verdict = { status: 'focused', alert: null, reason: null };
  #lastFrame: FrameResult | null = null;
  #noPersonSince: number | null = null;
  #multiSince: number | null = null;
  #awaySince: number | null = null;
  #unreliableSince: number | null = null;
  #confusedCandidate: number | null = null;
  #clearCandidate: number | null = null;
  #confusedStart: number | null = null;
  #paused = false;
  #hidden = false;
  #cameraOff = false;
  #calibrating = false;

  constructor(options: Partial<TimelineOptions> = {}, clock: Clock = Date.now) {
    this.#opt = { ...DEFAULT_TIMELINE_OPTIONS, ...options };
    this.#clock = clock;
    this.#state = { status: 'focused', alert: null, since: clock(), reason: null };
  }

  /** The current status, alert, since (ms) and reason. */
  get state(): TimelineState {
    return { ...this.#state };
  }

  /** The options in force. */
  get options(): TimelineOptions {
    return { ...this.#opt };
  }

  /** Changes options (e.g. a teacher set an accommodation); re-evaluates at once. */
  setOptions(options: Partial<TimelineOptions>, t = this.#clock()): TimelineState {
    this.#opt = { ...this.#opt, ...options };
    return this.#evaluate(t);
  }

  /** Feeds one analysed frame taken at `t` (ms). */
  update(frame: FrameResult, t = this.#clock()): TimelineState {
    if (this.#cameraOff || this.#paused || this.#calibrating) return this.#evaluate(t);
    this.#lastFrame = frame;
    const unreliable = frame.quality?.unreliable === true;
    this.#unreliableSince = unreliable ? (this.#unreliableSince ?? t) : null;
    // A dark or unclear frame without a face is no evidence that nobody is there.
    this.#noPersonSince = frame.face_count === 0 && !unreliable ? (this.#noPersonSince ?? t) : null;
    this.#multiSince = frame.face_count > 1 ? (this.#multiSince ?? t) : null;
    if (frame.face_count > 0 && frame.gaze !== null && !unreliable) {
      this.#awaySince = frame.gaze === 'CENTER' ? null : (this.#awaySince ?? t);
    }
    if (frame.face_count > 0 && !unreliable) this.#trackConfusion(frame, t);
    return this.#evaluate(t);
  }

  /** Re-evaluates the timers at `t` without a new frame (e.g. while the analyser is busy). */
  tick(t = this.#clock()): TimelineState {
    return this.#evaluate(t);
  }

  /** The student paused analysis (support: `paused`; exam: alert `PAUSED`). */
  setPaused(paused: boolean, t = this.#clock()): TimelineState {
    this.#paused = paused;
    if (paused) this.#resetFrameTimers();
    return this.#evaluate(t);
  }

  /** The page was hidden or lost focus (alert `TAB_HIDDEN` in exam mode only). */
  setHidden(hidden: boolean, t = this.#clock()): TimelineState {
    this.#hidden = hidden;
    return this.#evaluate(t);
  }

  /** The camera stopped or was refused (`camera-off`). */
  setCameraOff(off: boolean, t = this.#clock()): TimelineState {
    this.#cameraOff = off;
    if (off) this.#resetFrameTimers();
    return this.#evaluate(t);
  }

  /** Calibration is running (`calibrating`). */
  setCalibrating(calibrating: boolean, t = this.#clock()): TimelineState {
    this.#calibrating = calibrating;
    if (calibrating) this.#resetFrameTimers();
    return this.#evaluate(t);
  }

  #trackConfusion(frame: FrameResult, t: number): void {
    const o = this.#opt;
    this.#confusedCandidate = frame.confused ? (this.#confusedCandidate ?? t) : null;
    const clear = frame.confusion_score < o.confusedThreshold - o.confusedExitMargin;
    this.#clearCandidate = clear ? (this.#clearCandidate ?? t) : null;
    if (this.#confusedStart === null) {
      if (this.#confusedCandidate !== null && t - this.#confusedCandidate >= o.confusedEnterSeconds * 1000) {
        this.#confusedStart = this.#confusedCandidate;
      }
    } else if (this.#clearCandidate !== null && t - this.#clearCandidate >= o.confusedExitSeconds * 1000) {
      this.#confusedStart = null;
    }
  }

  #resetFrameTimers(): void {
    this.#noPersonSince = null;
    this.#multiSince = null;
    this.#awaySince = null;
    this.#unreliableSince = null;
    this.#confusedCandidate = null;
    this.#clearCandidate = null;
    this.#confusedStart = null;
    this.#lastFrame = null;
    this.#frameVerdict = { status: 'focused', alert: null, reason: null };
  }

  #frameDecision(t: number): Verdict | null {
    const o = this.#opt;
    const frame = this.#lastFrame;
    if (!frame) return null;
    const held = (since: number | null, seconds: number): boolean =>
      since !== null && t - since >= seconds * 1000;
    if (held(this.#multiSince, o.multiplePeopleGraceSeconds)) {
      return {
        status: 'alert',
        alert: 'MULTIPLE_PEOPLE',
        reason: { code: 'PEOPLE_IN_VIEW', count: Math.max(2, frame.face_count) },
      };
    }
    if (held(this.#noPersonSince, o.noPersonGraceSeconds)) {
      this.#awaySince = null;
      this.#confusedStart = null;
      return {
        status: 'alert',
        alert: 'NO_PERSON',
        reason: { code: 'NO_ONE_IN_VIEW', seconds: secs(t - this.#noPersonSince!) },
      };
    }
    if (o.gazeChecks && this.#awaySince !== null && t - this.#awaySince > o.lookAwaySeconds * 1000) {
      return {
        status: 'alert',
        alert: 'GAZE_AWAY',
        reason: { code: 'LOOKING_AWAY', seconds: secs(t - this.#awaySince) },
      };
    }
    if (held(this.#unreliableSince, o.noSignalGraceSeconds)) {
      return { status: 'no-signal', alert: null, reason: qualityReason(frame) };
    }
    // Inside a grace period: keep what the previous frames said.
    if (this.#noPersonSince !== null || this.#multiSince !== null || this.#unreliableSince !== null)
      return null;
    if (this.#confusedStart !== null) {
      const c = frame.contributions;
      const code = c && c.tilt > c.brow ? 'HEAD_TILTED' : 'BROWS_LOWERED';
      return { status: 'confused', alert: null, reason: { code, seconds: secs(t - this.#confusedStart) } };
    }
    return { status: 'focused', alert: null, reason: null };
  }

  #evaluate(t: number): TimelineState {
    let v: Verdict;
    if (this.#cameraOff) v = { status: 'camera-off', alert: null, reason: { code: 'CAMERA_OFF' } };
    else if (this.#paused) {
      v =
        this.#opt.mode === 'exam'
          ? { status: 'alert', alert: 'PAUSED', reason: { code: 'PAUSED' } }
          : { status: 'paused', alert: null, reason: { code: 'PAUSED' } };
    } else if (this.#hidden && this.#opt.mode === 'exam') {
      v = { status: 'alert', alert: 'TAB_HIDDEN', reason: { code: 'PAGE_HIDDEN' } };
    } else if (this.#calibrating) v = { status: 'calibrating', alert: null, reason: { code: 'CALIBRATING' } };
    else {
      const d = this.#frameDecision(t);
      if (d) this.#frameVerdict = d;
      v = this.#frameVerdict;
    }
    const changed = v.status !== this.#state.status || v.alert !== this.#state.alert;
    this.#state = { ...v, since: changed ? t : this.#state.since };
    return this.state;
  }
}

function qualityReason(frame: FrameResult): Reason {
  const q = frame.quality;
  if (!q) return { code: 'FACE_NOT_CLEAR' };
  if (q.brightness !== null && q.brightness < 0.1) return { code: 'TOO_DARK' };
  if (q.faceSize !== null && q.faceSize < 0.06) return { code: 'FACE_TOO_SMALL' };
  return { code: 'FACE_NOT_CLEAR' };
}
