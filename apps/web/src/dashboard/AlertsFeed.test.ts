import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '@smartsession/protocol';
import { feedEntries } from './AlertsFeed.js';

const a = (
  id: string,
  startedAt: number,
  endedAt: number | null,
  acknowledgedAt: number | null = null,
): AlertRecord => ({
  id,
  participantId: 'p',
  kind: 'proctor',
  code: 'GAZE_AWAY',
  startedAt,
  endedAt,
  acknowledgedAt,
});

describe('feedEntries', () => {
  it('lists open entries first, then ended ones not dismissed, newest first, capped', () => {
    const list = [a('1', 1, null), a('2', 2, 3), a('3', 3, 4, 5), a('4', 4, null), a('5', 5, 6)];
    expect(feedEntries(list, false).map((x) => x.id)).toEqual(['4', '1', '5', '2']);
    expect(feedEntries(list, true).map((x) => x.id)).toEqual(['4', '1', '5', '3', '2']);
    expect(feedEntries(list, true, 3).map((x) => x.id)).toEqual(['4', '1', '5']);
  });
});
