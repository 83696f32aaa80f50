/**
 * Who needs attention first: ranking, sorting, filtering and name search for the class grid. Pure.
 */
import type { SessionMode, StudentState, StudentStatus } from '@smartsession/protocol';
import { isGreyStatus } from '../shared/status.js';

/** The fields of a student the ordering depends on. */
export type NeedInput = Pick<StudentState, 'participantId' | 'name' | 'status' | 'statusSince' | 'lostSince'>;

const STATUS_RANK: Record<StudentStatus, number> = {
  alert: 0,
  confused: 2,
  'no-signal': 3,
  'camera-off': 4,
  paused: 5,
  offline: 6,
  calibrating: 7,
  focused: 8,
};

/**
 * Need rank, smaller = needs attention sooner: proctor alert, then a standing "I'm lost" press, confused,
 * then the grey statuses (no signal, camera off, paused, offline, calibrating), focused last. In support
 * mode an "I'm lost" press comes before a proctor alert (alerts are hints there).
 */
export function needRank(s: NeedInput, mode: SessionMode = 'support'): number {
  const lost = s.lostSince !== null && s.status !== 'offline';
  if (lost) return mode === 'support' ? -1 : 1;
  return STATUS_RANK[s.status];
}

/**
 * Sorts by need (see {@link needRank}), then longest in the current state first, then by name.
 * Returns a new array.
 */
export function sortByNeed<T extends NeedInput>(students: readonly T[], mode: SessionMode = 'support'): T[] {
  return students
    .map((s) => ({ s, r: needRank(s, mode) }))
    .sort(
      (a, b) =>
        a.r - b.r ||
        a.s.statusSince - b.s.statusSince ||
        a.s.name.localeCompare(b.s.name) ||
        (a.s.participantId < b.s.participantId ? -1 : 1),
    )
    .map((x) => x.s);
}

/** Grid filters. `attention` = anyone not focused and not calibrating. */
export type GridFilter = 'all' | 'attention' | 'focused' | 'confused' | 'alert' | 'lost' | 'grey';

/** The grid filters, in menu order (labels: `filter.*` messages). */
export const GRID_FILTERS: readonly GridFilter[] = [
  'all',
  'attention',
  'alert',
  'lost',
  'confused',
  'focused',
  'grey',
];

/** True when a student passes a filter. */
export function matchesFilter(s: NeedInput, filter: GridFilter): boolean {
  const lost = s.lostSince !== null && s.status !== 'offline';
  switch (filter) {
    case 'all':
      return true;
    case 'attention':
      return lost || (s.status !== 'focused' && s.status !== 'calibrating');
    case 'lost':
      return lost;
    case 'grey':
      return isGreyStatus(s.status);
    default:
      return s.status === filter;
  }
}

/** Lower-case, accent-free form of a name for searching ("Zoë" → "zoe"). */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .trim();
}

/** True when every word of the query appears in the name (case and accents ignored). */
export function matchesSearch(name: string, query: string): boolean {
  const q = foldName(query);
  if (!q) return true;
  const n = foldName(name);
  return q.split(/\s+/).every((w) => n.includes(w));
}

/** Filter, search and sort in one go: the ids of the grid in display order. */
export function gridOrder(
  students: readonly NeedInput[],
  filter: GridFilter,
  query: string,
  mode: SessionMode = 'support',
): string[] {
  return sortByNeed(
    students.filter((s) => matchesFilter(s, filter) && matchesSearch(s.name, query)),
    mode,
  ).map((s) => s.participantId);
}
