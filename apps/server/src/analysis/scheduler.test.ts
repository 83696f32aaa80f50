import { describe, expect, it } from 'vitest';
import { FairScheduler } from './scheduler.js';
import { isJpeg, jpegSize } from './jpeg.js';

describe('[issue 14] fair scheduler', () => {
  it('one frame per student waiting or in flight; served in turn whatever each sends', () => {
    const s = new FairScheduler<number>({ workers: 1 });
    expect(s.offer('a', 1, 0)).toBeNull();
    expect(s.offer('a', 2, 1000)).toBe('busy');
    expect(s.offer('b', 1, 0)).toBeNull();
    expect(s.next(10).frame?.student).toBe('a');
    expect(s.offer('a', 3, 2000)).toBe('busy'); // still in flight
    s.done('a', 100);
    expect(s.offer('a', 4, 2000)).toBeNull();
    // b queued before a's second frame: b first.
    expect(s.next(2000).frame?.student).toBe('b');
    expect(s.next(2000).frame?.job).toBe(4);
  });

  it('refuses frames sent well before the interval, and when full', () => {
    const s = new FairScheduler<number>({ workers: 1, maxQueued: 2 });
    expect(s.offer('a', 1, 0)).toBeNull();
    s.next(0);
    s.done('a', 50);
    expect(s.offer('a', 2, 200)).toBe('too_soon');
    expect(s.offer('a', 2, 400)).toBeNull();
    expect(s.offer('b', 1, 400)).toBeNull();
    expect(s.offer('c', 1, 400)).toBe('full');
  });

  it('drops frames that waited too long', () => {
    const s = new FairScheduler<number>({ workers: 1, maxWaitMs: 1000 });
    s.offer('a', 1, 0);
    s.offer('b', 1, 900);
    const r = s.next(1500);
    expect(r.expired.map((f) => f.student)).toEqual(['a']);
    expect(r.frame?.student).toBe('b');
    expect(s.offer('a', 2, 1500)).toBeNull();
  });

  it('CPU budget: the interval grows with students × analysis time, the same for all, and comes back', () => {
    const s = new FairScheduler<number>({ workers: 2, budget: 0.8 });
    let t = 0;
    const students = Array.from({ length: 20 }, (_, i) => `s${i}`);
    for (const id of students) s.offer(id, 1, t);
    for (let i = 0; i < 20; i++) {
      const f = s.next(t).frame!;
      s.done(f.student, 200);
    }
    // 20 students, 200 ms a frame, 2 workers at 80 %: 8 frames a second → one every 2.5 s each.
    expect(s.retune(t)).toBe(2500);
    expect(s.intervalMs).toBe(2500);
    // Everyone but one leaves: back to the default.
    t += 10_000;
    s.offer('s0', 2, t);
    expect(s.retune(t)).toBe(500);
  });
});

describe('[issue 14] JPEG header', () => {
  it('reads the size from the frame header; refuses what is not a JPEG', () => {
    // SOI, APP0 (length 4), SOF0 (length 17): 8 bits, 240 high, 320 wide.
    const bytes = Uint8Array.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xf0, 0x01, 0x40,
      0x03,
    ]);
    expect(isJpeg(bytes)).toBe(true);
    expect(jpegSize(bytes)).toEqual({ width: 320, height: 240 });
    expect(jpegSize(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toBeNull();
    expect(jpegSize(bytes.subarray(0, 12))).toBeNull();
  });
});
