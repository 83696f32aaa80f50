/**
 * The dashboard's state as pure functions: {@link applyMessages} folds teacher messages (snapshot,
 * student, samples, alert, marker, settings, end, service) into a new {@link DashboardState} and says what
 * changed, so the {@link DashboardStore} shell notifies exactly those students and topics. Samples are
 * handed back per student instead of stored: the store keeps them in ring buffers (typed arrays, no
 * garbage), and draws them once a second.
 */
import type {
  AlertRecord,
  Marker,
  ServerToTeacherMessage,
  ServiceMessage,
  SessionMode,
  SessionSettings,
  StudentState,
  StudentStatus,
} from '@smartsession/protocol';
import type { ClassPoint } from './aggregate.js';
import { sortByNeed } from './needs.js';

/**
 * Topics a component can subscribe to. `roster` = a student joined, left or changed status; `order` = the
 * grid's need order changed (at most once a second); `class` = the once-a-second tick.
 */
export type Topic = 'roster' | 'order' | 'alerts' | 'markers' | 'settings' | 'class' | 'connection';

/** What the server told the dashboard so far (immutable: every change makes a new object). */
export interface DashboardState {
  settings: SessionSettings | null;
  endedAt: number | null;
  /** Server clock minus local clock, ms (from the last snapshot). */
  clockOffset: number;
  /** The server's own health (storage, other instances), from its `service` messages. */
  service: Omit<ServiceMessage, 'type'>;
  students: ReadonlyMap<string, StudentState>;
  /** Alerts, oldest first. */
  alerts: readonly AlertRecord[];
  /** Markers, oldest first. */
  markers: readonly Marker[];
  /** Bumped on every roster change; lets components memoise derived lists. */
  rosterVersion: number;
  /** Student ids in arrival order; a new array only when someone joins or the snapshot changes who is here. */
  rosterIds: readonly string[];
  /** Messages applied so far (for tests and the benchmark). */
  applied: number;
}

/** One sample to append to a student's series. */
interface SampleItem {
  t: number;
  score: number | null;
  status: StudentStatus;
}

/** What one {@link applyMessages} call changed. */
export interface Changes {
  /** Students whose state changed (or who left with a new snapshot). */
  students: Set<string>;
  /** New samples per student, in arrival order. */
  samples: Map<string, SampleItem[]>;
  topics: Set<Topic>;
}

/** Before the first snapshot. */
export const EMPTY_DASHBOARD: DashboardState = {
  settings: null,
  endedAt: null,
  clockOffset: 0,
  service: { storage: 'ok', cluster: 'single' },
  students: new Map(),
  alerts: [],
  markers: [],
  rosterVersion: 0,
  rosterIds: [],
  applied: 0,
};

/** Most alerts kept; beyond it the oldest ended ones go (open ones always stay). */
const MAX_ALERTS = 1000;

/** Most class points kept (one per second: two hours). */
const CLASS_POINTS = 7200;

/**
 * Folds messages into the state. `localNow` is this device's clock (ms): a snapshot sets the clock offset
 * from it, and an end without a time is dated by it.
 */
export function applyMessages(
  state: DashboardState,
  msgs: readonly ServerToTeacherMessage[],
  localNow: number,
): { state: DashboardState; changes: Changes } {
  const changes: Changes = { students: new Set(), samples: new Map(), topics: new Set() };
  const { topics } = changes;
  const next = { ...state, applied: state.applied + msgs.length };
  let students: Map<string, StudentState> | null = null;
  const own = () => (students ??= new Map(next.students));
  let alerts: Map<string, AlertRecord> | null = null;
  const alertMap = () => (alerts ??= new Map(next.alerts.map((a) => [a.id, a])));
  for (const msg of msgs) {
    switch (msg.type) {
      case 'snapshot': {
        next.clockOffset = msg.serverTime - localNow;
        next.settings = msg.settings;
        next.endedAt = msg.endedAt;
        for (const id of next.students.keys()) changes.students.add(id);
        students = new Map(msg.students.map((s) => [s.participantId, s]));
        next.students = students;
        for (const s of msg.students) changes.students.add(s.participantId);
        alerts = new Map(msg.alerts.map((a) => [a.id, a]));
        next.markers = [...msg.markers].sort((a, b) => a.t - b.t);
        topics.add('roster').add('alerts').add('markers').add('settings');
        break;
      }
      case 'student': {
        const s = msg.student;
        const prev = next.students.get(s.participantId);
        next.students = own().set(s.participantId, s);
        changes.students.add(s.participantId);
        if (
          !prev ||
          prev.status !== s.status ||
          prev.name !== s.name ||
          prev.lostSince !== s.lostSince ||
          prev.statusSince !== s.statusSince
        )
          topics.add('roster');
        break;
      }
      case 'samples':
        for (const it of msg.items) {
          let list = changes.samples.get(it.participantId);
          if (!list) changes.samples.set(it.participantId, (list = []));
          list.push({ t: it.t, score: it.score, status: it.status });
        }
        break;
      case 'alert':
        alertMap().set(msg.alert.id, msg.alert);
        topics.add('alerts');
        break;
      case 'marker':
        if (!next.markers.some((m) => m.id === msg.marker.id)) {
          next.markers = [...next.markers, msg.marker].sort((a, b) => a.t - b.t);
          topics.add('markers');
        }
        break;
      case 'session_settings':
        next.settings = msg.settings;
        topics.add('settings');
        break;
      case 'session_ended':
        next.endedAt = localNow + next.clockOffset;
        topics.add('settings');
        break;
      case 'service':
        next.service = { storage: msg.storage, cluster: msg.cluster };
        topics.add('connection');
        break;
      case 'error':
        break;
    }
  }
  if (alerts) next.alerts = trimAlerts([...(alerts as Map<string, AlertRecord>).values()]);
  if (topics.has('roster')) {
    next.rosterVersion++;
    const ids = next.rosterIds;
    if (ids.length !== next.students.size || ids.some((id) => !next.students.has(id)))
      next.rosterIds = [...next.students.keys()];
  }
  return { state: next, changes };
}

/** Sorts alerts oldest first and drops the oldest ended ones beyond {@link MAX_ALERTS}. */
function trimAlerts(list: AlertRecord[]): AlertRecord[] {
  list.sort((a, b) => a.startedAt - b.startedAt);
  let excess = list.length - MAX_ALERTS;
  if (excess <= 0) return list;
  return list.filter((a) => a.endedAt === null || excess-- <= 0);
}

/**
 * The grid's order: who needs attention first (see `sortByNeed`). While `frozen` (keyboard focus in the
 * grid) the previous order holds, without students who left and with newcomers at the end. Returns
 * `previous` itself when nothing moved.
 */
export function gridOrder(
  previous: readonly string[],
  state: Pick<DashboardState, 'students' | 'rosterIds'>,
  mode: SessionMode,
  frozen: boolean,
): readonly string[] {
  let next: string[];
  if (frozen) {
    const known = new Set(previous);
    next = previous.filter((id) => state.students.has(id));
    for (const id of state.rosterIds) if (!known.has(id)) next.push(id);
  } else next = sortByNeed([...state.students.values()], mode).map((s) => s.participantId);
  const same = next.length === previous.length && next.every((id, i) => id === previous[i]);
  return same ? previous : next;
}

/** The class points with `point` appended, the oldest dropped beyond two hours' worth. */
export function appendClassPoint(points: readonly ClassPoint[], point: ClassPoint): ClassPoint[] {
  const next = [...points, point];
  return next.length > CLASS_POINTS ? next.slice(next.length - CLASS_POINTS) : next;
}

/** Stored history (e.g. bucketed samples) followed by the live points that come after it. */
export function withClassHistory(live: readonly ClassPoint[], history: ClassPoint[]): ClassPoint[] {
  const after = history.length ? history[history.length - 1]!.t : -Infinity;
  return [...history, ...live.filter((p) => p.t > after)];
}
