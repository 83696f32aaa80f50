import type { AnalysisFrameMessage, CalibrationBaseline } from '@smartsession/protocol';
import { describe, expect, it } from 'vitest';
import { okFrame } from '../../../../test/support/frames.js';
import { ServerAnalyser } from './serverAnalysis.js';

const frame = okFrame();
const baseline = (pitch: number): CalibrationBaseline => ({
  yaw: 2,
  pitch,
  roll: 1,
  knit: 0.46,
  lower: 0.25,
  irisX: 0,
  irisY: -0.05,
  happy: null,
  frames: 12,
  durationMs: 3000,
});
// What the camera gives; the encoder below stands in for the JPEG step, which only a browser can run
// (the browser tests cover it), so what is checked here is what goes with each frame.
const bitmap = { width: 640, height: 480, close: () => undefined } as unknown as ImageBitmap;

function analyser() {
  const sent: AnalysisFrameMessage[] = [];
  const a = new ServerAnalyser(
    { sendFrame: (m) => (sent.push(m), true) },
    () => undefined,
    () => undefined,
    () => Promise.resolve(new ArrayBuffer(16)),
  );
  const answer = (calibration: { active: boolean; done: boolean }, b?: CalibrationBaseline) =>
    a.receive({
      type: 'frame_result',
      id: sent[sent.length - 1]!.id,
      frame,
      calibration: { ...calibration, progress: calibration.done ? 1 : 0.5 },
      analysisMs: 80,
      ...(b ? { baseline: b } : {}),
    });
  return { a, sent, answer };
}

describe('ServerAnalyser', () => {
  it('sends back the baseline the server gave, so another instance reads the student calibrated', async () => {
    const { a, sent, answer } = analyser();
    await a.offer(bitmap, 1000);
    expect(sent[0]).not.toHaveProperty('baseline');
    answer({ active: false, done: true }, baseline(12));
    await a.offer(bitmap, 1500);
    expect(sent[1]?.baseline).toEqual(baseline(12));
    // The connection moves to another instance: the next frames still carry it.
    answer({ active: false, done: true }, baseline(12));
    await a.offer(bitmap, 2000);
    expect(sent[2]?.baseline).toEqual(baseline(12));
  });

  it('a new calibration drops the old baseline until the server has finished the new one', async () => {
    const { a, sent, answer } = analyser();
    await a.offer(bitmap, 1000);
    answer({ active: false, done: true }, baseline(12));
    a.calibrate();
    await a.offer(bitmap, 1500);
    expect(sent[1]).toMatchObject({ calibrate: true });
    expect(sent[1]).not.toHaveProperty('baseline');
    answer({ active: true, done: true });
    await a.offer(bitmap, 2000);
    expect(sent[2]).not.toHaveProperty('baseline');
    expect(sent[2]).not.toHaveProperty('calibrate');
    answer({ active: false, done: true }, baseline(20));
    await a.offer(bitmap, 2500);
    expect(sent[3]?.baseline).toEqual(baseline(20));
  });
});
