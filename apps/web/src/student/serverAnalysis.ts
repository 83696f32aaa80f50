/**
 * Analysis on the school's server (issue 14), for a device whose own engine cannot keep up: each frame is
 * shrunk to a small picture (320 pixels wide), encoded as JPEG and sent as a binary attachment on the
 * student's socket; the server answers with the same per-frame JSON the in-browser engine makes, which
 * then takes the same path (calibration, proctor timeline, telemetry). Pictures are never kept here.
 */
import {
  ANALYSIS_LIMITS,
  type AnalysisFrameMessage,
  type CalibrationBaseline,
  type FrameRefusedMessage,
  type FrameResultMessage,
  type AnalysisRateMessage,
} from '@smartsession/protocol';
import type { FromWorker } from './workerProtocol.js';

/** Width of the pictures sent, pixels (the height keeps the camera's proportions). */
const SERVER_FRAME_WIDTH = 320;
/** JPEG quality of the pictures sent (0..1). */
const JPEG_QUALITY = 0.8;
/** A frame not answered after this long is given up, ms. */
const ANSWER_TIMEOUT_MS = 10_000;

/** The server's answers about frames. */
export type ServerAnalysisMessage = FrameResultMessage | FrameRefusedMessage | AnalysisRateMessage;

/** How frames reach the server: the student's socket. */
export interface FrameLink {
  /** Sends one frame; false when not connected. */
  sendFrame(msg: AnalysisFrameMessage): boolean;
}

type ResultMessage = Extract<FromWorker, { type: 'result' }>;

/** Is this the URL's request for analysis on the server (`?analysis=server`)? */
export function serverAnalysisFromUrl(search: string = globalThis.location?.search ?? ''): boolean {
  return new URLSearchParams(search).get('analysis') === 'server';
}

/** Sends frames to the server and turns its answers into worker-style results. */
export class ServerAnalyser {
  private nextId = 1;
  private inFlight: { id: number; tMs: number; sentAt: number; calibrate: boolean } | null = null;
  private encoding = false;
  private calibrateNext = false;
  /**
   * The baseline the server last gave: sent back with every frame, so an instance that does not hold it
   * (a reconnect to another instance, a restart) reads this student against their own face, not the
   * population's. Dropped when a new calibration starts.
   */
  private baseline: CalibrationBaseline | null = null;
  /** The interval the server asked for, ms. */
  intervalMs: number = ANALYSIS_LIMITS.defaultIntervalMs;

  /** `encode` turns a camera frame into the JPEG sent (default: {@link JpegEncoder}; it does not close it). */
  constructor(
    private readonly link: FrameLink,
    private readonly onResult: (r: ResultMessage) => void,
    private readonly onError: (message: string, fatal: boolean) => void,
    private readonly encode: (bitmap: ImageBitmap) => Promise<ArrayBuffer | null> = new JpegEncoder().encode,
  ) {}

  /** True while a frame waits for its answer. */
  get busy(): boolean {
    if (this.inFlight && performance.now() - this.inFlight.sentAt > ANSWER_TIMEOUT_MS) this.inFlight = null;
    return this.encoding || this.inFlight !== null;
  }

  /** The next frame starts a calibration on the server. */
  calibrate(): void {
    this.calibrateNext = true;
    this.baseline = null;
  }

  /** What goes with the next frame besides its picture: a calibration request, or the baseline held. */
  nextFrameFields(): Pick<AnalysisFrameMessage, 'calibrate' | 'baseline'> {
    if (this.calibrateNext) return { calibrate: true };
    return this.baseline ? { baseline: this.baseline } : {};
  }

  /** Encodes and sends a frame (the bitmap is closed); false when not sent. */
  async offer(bitmap: ImageBitmap, tMs: number): Promise<boolean> {
    if (this.busy) {
      bitmap.close();
      return false;
    }
    this.encoding = true;
    try {
      const image = await this.encode(bitmap);
      if (!image) return false;
      const id = this.nextId++;
      const calibrate = this.calibrateNext;
      const sent = this.link.sendFrame({ type: 'frame', id, t: tMs, image, ...this.nextFrameFields() });
      if (!sent) return false;
      this.calibrateNext = false;
      this.inFlight = { id, tMs, sentAt: performance.now(), calibrate };
      return true;
    } catch {
      return false;
    } finally {
      this.encoding = false;
      bitmap.close();
    }
  }

  /** Handles one answer from the server. */
  receive(msg: ServerAnalysisMessage): void {
    if (msg.type === 'analysis_rate') {
      this.intervalMs = msg.intervalMs;
      return;
    }
    const current = this.inFlight;
    if (!current || msg.id !== current.id) return;
    this.inFlight = null;
    if (msg.type === 'frame_result') {
      if (msg.baseline && !this.calibrateNext) this.baseline = msg.baseline;
      this.onResult({
        type: 'result',
        id: msg.id,
        tMs: current.tMs,
        frame: msg.frame,
        overlay: null,
        analysisMs: msg.analysisMs,
        calibration: msg.calibration,
      });
      return;
    }
    const code = msg.error.code;
    // A calibration asked for with a frame that was not analysed goes with the next one.
    if (current.calibrate) this.calibrateNext = true;
    // Skipped frames (busy, too soon) are not errors.
    if (code === 'RATE_LIMITED') return;
    this.onError(msg.error.message, code === 'FORBIDDEN' || code === 'SESSION_ENDED');
  }
}

/** Camera frame → small JPEG: {@link SERVER_FRAME_WIDTH} wide, on one reused `OffscreenCanvas`. */
class JpegEncoder {
  private canvas: OffscreenCanvas | null = null;

  readonly encode = async (bitmap: ImageBitmap): Promise<ArrayBuffer | null> => {
    const width = Math.min(SERVER_FRAME_WIDTH, bitmap.width);
    const height = Math.max(1, Math.round((bitmap.height * width) / bitmap.width));
    this.canvas ??= new OffscreenCanvas(width, height);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0, width, height);
    const blob = await this.canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
    return blob.arrayBuffer();
  };
}
