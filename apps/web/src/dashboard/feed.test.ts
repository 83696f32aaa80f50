import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '@smartsession/protocol';
import { endedUndismissed, feedGroups, FEED_GRACE_MS, needsAction } from './feed.js';

const a = (
  id: string,
  participantId: string,
  startedAt: number,
  endedAt: number | null,
  over: Partial<AlertRecord> = {},
): AlertRecord => ({
  id,
  participantId,
  kind: 'proctor',
  code: 'GAZE_AWAY',
  startedAt,
  endedAt,
  acknowledgedAt: null,
  ...over,
});

describe('[issue 11] alerts feed', () => {
  const now = 100_000;
  it('never shows a proctor blip shorter than the grace period; shows an open one once it lasted that long', () => {
    const list = [
      a('blip', 'p1', 10_000, 10_000), // "ended after 0 s"
      a('short', 'p1', 20_000, 20_000 + FEED_GRACE_MS - 1),
      a('fresh', 'p2', now - 1000, null),
      a('real', 'p3', 30_000, 40_000),
      a('lost', 'p4', now - 10, null, { kind: 'self_report', code: null }),
    ];
    const ids = feedGroups(list, now, false).flatMap((g) => [...g.open, ...g.ended].map((x) => x.id));
    expect(ids.sort()).toEqual(['lost', 'real']);
    expect(feedGroups(list, now + 5000, false).some((g) => g.open.some((x) => x.id === 'fresh'))).toBe(true);
  });

  it("counts every open entry awaiting acknowledgement, I'm lost presses included", () => {
    const list = [
      a('1', 'p1', 0, null),
      a('2', 'p2', 0, null, { kind: 'self_report', code: null }),
      a('3', 'p3', 0, null, { kind: 'self_report', code: null }),
      a('4', 'p4', 0, null, { kind: 'self_report', code: null }),
      a('5', 'p5', 0, null, { acknowledgedAt: 5 }),
      a('6', 'p6', 0, 9000),
    ];
    expect(needsAction(list, now)).toBe(4);
  });

  it('groups per student, open first, at most three ended entries each, the rest counted', () => {
    const list = [
      ...[1, 2, 3, 4, 5].map((k) => a(`e${k}`, 'p1', k * 10_000, k * 10_000 + 5000)),
      a('o', 'p2', 1000, null),
    ];
    const groups = feedGroups(list, now, false);
    expect(groups.map((g) => g.participantId)).toEqual(['p2', 'p1']);
    expect(groups[1]!.ended.map((x) => x.id)).toEqual(['e5', 'e4', 'e3']);
    expect(groups[1]!.moreEnded).toBe(2);
    expect(endedUndismissed(list).map((x) => x.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });
});
