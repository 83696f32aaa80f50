import { describe, expect, it } from 'vitest';
import type { FrameResult } from '@smartsession/protocol';
import { frame } from '../../test/support/telemetry.js';
import { keepFrame } from './frame-slot.js';

describe('keepFrame', () => {
  it('keeps one object per student and copies each new frame into it', () => {
    const first = frame(0.2);
    const kept = keepFrame(null, first)!;
    expect(kept).not.toBe(first);
    expect(kept.head).not.toBe(first.head);
    expect(kept).toEqual(first);

    const second = frame(0.9);
    const again = keepFrame(kept, second)!;
    expect(again).toBe(kept);
    expect(again.signals).toBe(kept.signals);
    expect(again).toEqual(second);
    // The frames received are left as they were (a stored row may hold them).
    expect(first).toEqual(frame(0.2));
  });

  it('takes a private copy when the shape changes: a part goes null, comes back, or an optional field appears', () => {
    const kept = keepFrame(null, frame(0.2))!;
    const noHead: FrameResult = { ...frame(0.3), head: null, signals: null };
    const a = keepFrame(kept, noHead)!;
    expect(a).not.toBe(noHead);
    expect(a).toEqual(noHead);
    const back = keepFrame(a, frame(0.4))!;
    expect(back).toEqual(frame(0.4));
    const withQuality: FrameResult = {
      ...frame(0.5),
      quality: { brightness: 0.4, faceSize: 0.3, confidence: 0.9, unreliable: false },
    };
    const q = keepFrame(back, withQuality)!;
    expect(q).toEqual(withQuality);
    expect(q.quality).not.toBe(withQuality.quality);
    const withoutQuality = keepFrame(q, frame(0.6))!;
    expect(withoutQuality).toEqual(frame(0.6));
    expect('quality' in withoutQuality).toBe(false);
    expect(keepFrame(withoutQuality, null)).toBeNull();
  });
});
