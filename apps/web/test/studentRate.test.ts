import { describe, expect, it } from 'vitest';
import { RateController } from '../src/student/rateController.js';
import { TelemetryPolicy } from '../src/student/telemetryPolicy.js';
import { timelineOptions } from '../src/student/timeline.js';

describe('RateController', () => {
  it('aims at 5 fps while analysis is cheap', () => {
    const r = new RateController();
    expect(r.intervalMs).toBe(200);
    for (let i = 0; i < 20; i++) r.record(40);
    expect(r.intervalMs).toBe(200);
    expect(r.fps).toBeCloseTo(5);
  });

  it('slows down so analysis stays under a third of a core', () => {
    const r = new RateController();
    for (let i = 0; i < 50; i++) r.record(120);
    expect(r.averageMs).toBeCloseTo(120, 3);
    expect(r.intervalMs).toBeCloseTo(360, 3);
    expect(120 / r.intervalMs).toBeLessThanOrEqual(1 / 3 + 1e-9);
  });

  it('never falls below the minimum rate', () => {
    const r = new RateController({ minFps: 1 });
    for (let i = 0; i < 50; i++) r.record(2000);
    expect(r.intervalMs).toBe(1000);
  });

  it('one slow frame does not halve the rate', () => {
    const r = new RateController();
    for (let i = 0; i < 20; i++) r.record(50);
    r.record(400);
    expect(r.fps).toBeGreaterThan(2.5);
  });

  it('recovers after a reset and ignores nonsense samples', () => {
    const r = new RateController();
    r.record(900);
    r.record(Number.NaN);
    r.record(-5);
    expect(r.averageMs).toBe(900);
    r.reset();
    expect(r.averageMs).toBeNull();
    expect(r.intervalMs).toBe(200);
  });

  it('refuses bad options with a clear error', () => {
    expect(() => new RateController({ targetFps: 0 })).toThrow(/minFps/);
    expect(() => new RateController({ maxBusyShare: 2 })).toThrow(/maxBusyShare/);
  });
});

describe('TelemetryPolicy', () => {
  it('sends at once on a status or alert change and about 3 a second otherwise', () => {
    const p = new TelemetryPolicy();
    const focused = { status: 'focused' as const, alert: null };
    expect(p.decide(focused, 0)).toBe('change');
    p.sent(focused, 0);
    expect(p.decide(focused, 100)).toBeNull();
    expect(p.decide(focused, 340)).toBe('periodic');
    p.sent(focused, 340);
    const alert = { status: 'alert' as const, alert: 'GAZE_AWAY' as const };
    expect(p.decide(alert, 350)).toBe('change');
    p.sent(alert, 350);
    expect(p.decide({ status: 'alert', alert: 'NO_PERSON' }, 360)).toBe('change');
  });

  it('a steady state yields between 2 and 4 messages a second', () => {
    const p = new TelemetryPolicy();
    const s = { status: 'focused' as const, alert: null };
    let sent = 0;
    for (let t = 0; t < 10_000; t += 100) {
      if (p.decide(s, t)) {
        p.sent(s, t);
        sent++;
      }
    }
    expect(sent / 10).toBeGreaterThanOrEqual(2);
    expect(sent / 10).toBeLessThanOrEqual(4);
  });
});

describe('timelineOptions', () => {
  const settings = { mode: 'exam' as const, emotion: 'off' as const, lookAwaySeconds: 4, anonymous: false };
  it('takes mode and look-away limit from the session', () => {
    expect(timelineOptions(settings, {})).toEqual({ mode: 'exam', lookAwaySeconds: 4, gazeChecks: true });
  });
  it('accommodations win over the session', () => {
    expect(timelineOptions(settings, { lookAwaySeconds: 10, gazeChecks: false })).toEqual({
      mode: 'exam',
      lookAwaySeconds: 10,
      gazeChecks: false,
    });
  });
});
