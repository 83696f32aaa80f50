import { describe, expect, it } from 'vitest';
import type { StudentReport } from '@smartsession/protocol';
import { downloadLinks, formatOffset, formatSeconds, formatShare, studentSummary } from './format.js';

describe('report formatting', () => {
  it('formats durations and offsets', () => {
    expect(formatSeconds(0)).toBe('0 sec');
    expect(formatSeconds(44.6)).toBe('45 sec');
    expect(formatSeconds(725)).toBe('12 min 5 sec');
    expect(formatSeconds(3720)).toBe('1 hr 2 min');
    expect(formatOffset(1000 + 65_000, 1000)).toBe('+1:05');
    expect(formatOffset(3_725_000, 0)).toBe('+1:02:05');
    expect(formatShare(1, 4)).toBe('25%');
    expect(formatShare(1, 0)).toBe('–');
  });

  it('groups the grey states of a student', () => {
    const s = {
      observedSeconds: 100,
      awaySeconds: 3,
      seconds: {
        focused: 50,
        confused: 20,
        alert: 5,
        calibrating: 4,
        paused: 3,
        'camera-off': 2,
        'no-signal': 1,
        offline: 15,
      },
    } as StudentReport;
    expect(studentSummary(s)).toEqual({
      focused: 50,
      confused: 20,
      alert: 5,
      away: 3,
      other: 10,
      offline: 15,
      observed: 100,
    });
  });

  it('links the JSON and every CSV table', () => {
    expect(downloadLinks('a b').map((l) => l.href)).toEqual([
      '/api/sessions/a%20b/report',
      '/api/sessions/a%20b/report.csv',
      '/api/sessions/a%20b/report.csv?table=alerts',
      '/api/sessions/a%20b/report.csv?table=timeline',
    ]);
    // [issue 11] CSV times in the teacher's zone too, not UTC only.
    expect(downloadLinks('s', 'Europe/Paris')[2]!.href).toBe(
      '/api/sessions/s/report.csv?table=alerts&tz=Europe%2FParis',
    );
  });
});
