/**
 * What the alerts feed shows, pure: proctor alerts shorter than the grace period never appear (blips), an
 * open one appears once it has lasted that long; "I'm lost" presses appear at once (a student asked);
 * entries are grouped per student, groups with something open first; the count is every open entry not
 * yet acknowledged, "I'm lost" included.
 */
import type { AlertRecord } from '@smartsession/protocol';

/** A proctor alert must last this long to be shown (a look away and back, a face lost for a frame), ms. */
export const FEED_GRACE_MS = 3000;
/** Most groups shown (more behind "Show all"). */
export const FEED_GROUPS = 12;
/** Most ended entries listed per group (the rest counted). */
const ENDED_PER_GROUP = 3;

/** One student's entries. */
export interface FeedGroup {
  participantId: string;
  /** Open entries, newest first. */
  open: AlertRecord[];
  /** Ended entries shown, newest first (at most {@link ENDED_PER_GROUP}). */
  ended: AlertRecord[];
  /** Ended entries not listed. */
  moreEnded: number;
  /** Newest start in the group (ms), for ordering. */
  latest: number;
}

/** True when an entry has lasted long enough to be shown at `now` (server ms). */
export function pastGrace(a: AlertRecord, now: number, graceMs = FEED_GRACE_MS): boolean {
  if (a.kind === 'self_report') return true;
  return (a.endedAt ?? now) - a.startedAt >= graceMs;
}

/** Entries that need the teacher: open, past the grace period, not acknowledged ("I'm lost" included). */
export function needsAction(alerts: readonly AlertRecord[], now: number, graceMs = FEED_GRACE_MS): number {
  let n = 0;
  for (const a of alerts)
    if (a.endedAt === null && a.acknowledgedAt === null && pastGrace(a, now, graceMs)) n++;
  return n;
}

/**
 * The feed's groups at `now`: entries past the grace period; ended ones only while not dismissed, or all
 * with `showDone`. Groups with an open entry first, then by newest entry.
 */
export function feedGroups(
  alerts: readonly AlertRecord[],
  now: number,
  showDone: boolean,
  graceMs = FEED_GRACE_MS,
): FeedGroup[] {
  const groups = new Map<string, FeedGroup>();
  for (let i = alerts.length - 1; i >= 0; i--) {
    const a = alerts[i]!;
    if (!pastGrace(a, now, graceMs)) continue;
    const open = a.endedAt === null;
    if (!open && !showDone && a.acknowledgedAt !== null) continue;
    let g = groups.get(a.participantId);
    if (!g) {
      g = { participantId: a.participantId, open: [], ended: [], moreEnded: 0, latest: a.startedAt };
      groups.set(a.participantId, g);
    }
    g.latest = Math.max(g.latest, a.startedAt);
    if (open) g.open.push(a);
    else if (g.ended.length < ENDED_PER_GROUP) g.ended.push(a);
    else g.moreEnded++;
  }
  for (const g of groups.values()) {
    g.open.sort((x, y) => y.startedAt - x.startedAt);
    g.ended.sort((x, y) => y.startedAt - x.startedAt);
  }
  return [...groups.values()].sort(
    (x, y) => Number(y.open.length > 0) - Number(x.open.length > 0) || y.latest - x.latest,
  );
}

/** Ended entries not yet dismissed (what "Dismiss all ended" acknowledges). */
export function endedUndismissed(alerts: readonly AlertRecord[]): AlertRecord[] {
  return alerts.filter((a) => a.endedAt !== null && a.acknowledgedAt === null);
}

/** A key that changes exactly when the shown feed changes (ids, open/ended, acknowledged). */
export function feedKey(groups: readonly FeedGroup[]): string {
  let k = '';
  for (const g of groups) {
    k += `${g.participantId}:${g.moreEnded}|`;
    for (const a of g.open) k += `${a.id}o${a.acknowledgedAt === null ? '' : 'a'},`;
    for (const a of g.ended) k += `${a.id}e${a.acknowledgedAt === null ? '' : 'a'},`;
  }
  return k;
}
