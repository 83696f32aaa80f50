import { describe, expect, it } from 'vitest';
import {
  foldName,
  gridOrder,
  matchesFilter,
  matchesSearch,
  needRank,
  sortByNeed,
  type NeedInput,
} from './needs.js';

const s = (
  participantId: string,
  status: NeedInput['status'],
  statusSince = 0,
  lostSince: number | null = null,
  name = participantId,
): NeedInput => ({ participantId, name, status, statusSince, lostSince });

describe('sortByNeed', () => {
  it('puts alerts first, then I am lost, confused, grey statuses, focused last (exam)', () => {
    const order = sortByNeed(
      [
        s('f', 'focused'),
        s('o', 'offline'),
        s('c', 'confused'),
        s('a', 'alert'),
        s('l', 'focused', 0, 5),
        s('n', 'no-signal'),
        s('k', 'calibrating'),
      ],
      'exam',
    ).map((x) => x.participantId);
    expect(order).toEqual(['a', 'l', 'c', 'n', 'o', 'k', 'f']);
  });

  it("in support mode an I'm lost press comes before a proctor alert", () => {
    expect(
      sortByNeed([s('a', 'alert'), s('l', 'confused', 0, 1)], 'support').map((x) => x.participantId),
    ).toEqual(['l', 'a']);
  });

  it('within the same need, the longest in that state comes first, then by name', () => {
    const order = sortByNeed([
      s('x', 'confused', 300),
      s('y', 'confused', 100),
      s('b', 'confused', 100, null, 'Ann'),
    ]);
    expect(order.map((x) => x.participantId)).toEqual(['b', 'y', 'x']);
  });

  it('does not count a lost press of an offline student', () => {
    expect(needRank(s('o', 'offline', 0, 5))).toBe(needRank(s('p', 'offline')));
  });
});

describe('filter and search', () => {
  it('attention excludes focused and calibrating but includes a focused student who pressed lost', () => {
    expect(matchesFilter(s('a', 'focused'), 'attention')).toBe(false);
    expect(matchesFilter(s('a', 'calibrating'), 'attention')).toBe(false);
    expect(matchesFilter(s('a', 'focused', 0, 3), 'attention')).toBe(true);
    expect(matchesFilter(s('a', 'camera-off'), 'attention')).toBe(true);
    expect(matchesFilter(s('a', 'offline'), 'grey')).toBe(true);
    expect(matchesFilter(s('a', 'confused'), 'confused')).toBe(true);
    expect(matchesFilter(s('a', 'alert'), 'confused')).toBe(false);
  });

  it('searches names ignoring case and accents, every word must match', () => {
    expect(foldName(' Zoë ')).toBe('zoe');
    expect(matchesSearch('Zoë Martín', 'zoe')).toBe(true);
    expect(matchesSearch('Zoë Martín', 'MARTIN zo')).toBe(true);
    expect(matchesSearch('Zoë Martín', 'zoe x')).toBe(false);
    expect(matchesSearch('anyone', '   ')).toBe(true);
  });

  it('gridOrder filters, searches and sorts in one go', () => {
    const list = [
      s('1', 'focused', 0, null, 'Ada'),
      s('2', 'alert', 0, null, 'Adam'),
      s('3', 'alert', 0, null, 'Bea'),
    ];
    expect(gridOrder(list, 'all', 'ada', 'exam')).toEqual(['2', '1']);
    expect(gridOrder(list, 'alert', '', 'exam')).toEqual(['2', '3']);
  });
});
