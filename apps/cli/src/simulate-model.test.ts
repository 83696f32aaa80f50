import { describe, expect, it } from 'vitest';
import { SequencedMessage } from '@smartsession/protocol';
import { SimulatedStudent } from './simulate-model.js';

describe('SimulatedStudent', () => {
  it('produces valid telemetry: mostly focused, with confusion, looking away, leaving the frame and "I\'m lost"', () => {
    const seen = new Map<string, number>();
    let lost = 0;
    let total = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const s = new SimulatedStudent({ seed }, 0);
      let seq = 0;
      for (let t = 0; t < 20 * 60_000; t += 250) {
        for (const m of s.step(t, 0.25)) {
          const parsed = SequencedMessage.parse({ ...m, seq: ++seq });
          if (parsed.type === 'self_report') {
            if (parsed.kind === 'lost') lost++;
            continue;
          }
          total++;
          const key = parsed.status === 'alert' ? `alert:${parsed.alert}` : parsed.status;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          const f = parsed.frame!;
          if (f.contributions) {
            const sum = f.contributions.brow + (f.contributions.happy ?? 0) + f.contributions.tilt;
            expect(Math.abs(sum - f.confusion_score)).toBeLessThan(0.002);
          }
          if (parsed.alert === 'NO_PERSON') expect(f.face_count).toBe(0);
        }
      }
    }
    expect((seen.get('focused') ?? 0) / total).toBeGreaterThan(0.5);
    for (const k of [
      'calibrating',
      'confused',
      'alert:GAZE_AWAY',
      'alert:NO_PERSON',
      'alert:MULTIPLE_PEOPLE',
    ]) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    }
    expect(lost).toBeGreaterThan(0);
  });

  it('emotion off: no emotion-shaped field is set', () => {
    const s = new SimulatedStudent({ seed: 3, emotion: false }, 0);
    for (let t = 0; t < 120_000; t += 250) {
      for (const m of s.step(t, 0.25)) {
        if (m.type !== 'telemetry' || !m.frame) continue;
        expect(m.frame.emotion).toBeNull();
        expect(m.frame.happy_prob).toBeNull();
        expect(m.frame.signals?.happy ?? null).toBeNull();
      }
    }
  });
});
