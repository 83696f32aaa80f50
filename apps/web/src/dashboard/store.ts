/**
 * The dashboard's live state, outside React. Socket messages are queued ({@link FrameBatcher}) and applied
 * together: on the dashboard by the once-a-second {@link DashboardStore.tick} (see {@link onTick}); components subscribe to one student or one topic, so a
 * sample for one student redraws one sparkline and never re-renders the whole grid.
 */
import type {
  AlertRecord,
  Marker,
  ServerToTeacherMessage,
  ServiceMessage,
  SessionSettings,
  StudentState,
} from '@smartsession/protocol';
import type { ConnectionState } from '../shared/socket.js';
import { classPoint, type ClassPoint } from './aggregate.js';
import { FrameBatcher, throttledFrames, type Schedule } from './batcher.js';
import { SampleSeries } from './series.js';
import { sortByNeed } from './needs.js';
import { distinctNames } from './names.js';

/**
 * Topics a component can subscribe to. `roster` = a student joined, left or changed status; `order` = the
 * grid's need order changed (at most once a second); `class` = the once-a-second tick.
 */
export type Topic = 'roster' | 'order' | 'alerts' | 'markers' | 'settings' | 'class' | 'connection';

/** Most class points kept (one per second: two hours). */
const CLASS_POINTS = 7200;

/**
 * Least time between two applied batches, ms. Every applied batch costs a frame (style, layout, paint of
 * the changed tiles); 2 per second keeps the page live and cheap with a large class.
 */
const APPLY_INTERVAL_MS = 500;

/**
 * Default scheduler: the next animation frame at most every {@link APPLY_INTERVAL_MS}, or a timer while
 * the tab is hidden (rAF is paused then).
 */
const frameSchedule: Schedule = throttledFrames((fn) => {
  if (typeof document !== 'undefined' && document.hidden) setTimeout(fn, 250);
  else requestAnimationFrame(fn);
}, APPLY_INTERVAL_MS);

/**
 * A scheduler that schedules nothing: queued messages wait for the next {@link DashboardStore.tick}, which
 * applies them. The dashboard ticks once a second, so the page then renders one frame a second for
 * everything (messages, tile places, sparklines, clocks, class chart) instead of one per batch plus one
 * per tick: with a large class most of a frame's cost is fixed (paint, layerize, pre-paint of 300 tiles).
 */
export const onTick: Schedule = () => undefined;

/** Live state of one session's dashboard. */
export class DashboardStore {
  settings: SessionSettings | null = null;
  endedAt: number | null = null;
  /** Server clock minus local clock, ms (from the last snapshot). */
  clockOffset = 0;
  connection: ConnectionState = { kind: 'connecting' };
  /** The server's own health (storage, other instances), from its `service` messages. */
  service: Omit<ServiceMessage, 'type'> = { storage: 'ok', cluster: 'single' };
  readonly students = new Map<string, StudentState>();
  readonly series = new Map<string, SampleSeries>();
  /** Alerts, oldest first (a new array on every change). */
  alerts: AlertRecord[] = [];
  /** Markers, oldest first (a new array on every change). */
  markers: Marker[] = [];
  /** Class shares once per {@link tickClass} call, oldest first (a new array on every change). */
  classPoints: ClassPoint[] = [];
  /** Bumped on every roster change; lets components memoise derived lists. */
  rosterVersion = 0;
  /** Student ids in arrival order; a new array only when someone joins or the snapshot changes who is here. */
  rosterIds: string[] = [];
  /**
   * Student ids in need order (who needs attention first, see `sortByNeed`): the grid renders its tiles in
   * this order, so the DOM, Tab and screen readers follow what is seen. Recomputed on the once-a-second
   * tick when the roster changed, not while {@link freezeOrder} holds it (keyboard focus in the grid).
   */
  orderedIds: string[] = [];
  /** Messages applied so far (for tests and the benchmark). */
  applied = 0;

  private readonly studentListeners = new Map<string, Set<() => void>>();
  private readonly sampleListeners = new Map<string, Set<() => void>>();
  /** Students with samples not yet drawn; drawn together once a second by {@link tick}. */
  private readonly dirtySamples = new Set<string>();
  private orderVersion = -1;
  private names: { version: number; map: Map<string, string> } = { version: -1, map: new Map() };
  private orderMode: string | null = null;
  private orderFrozen = false;
  private readonly topicListeners = new Map<Topic, Set<() => void>>();
  private readonly batcher: FrameBatcher<ServerToTeacherMessage>;

  constructor(schedule: Schedule = frameSchedule) {
    this.batcher = new FrameBatcher((items) => this.applyBatch(items), schedule);
  }

  /** Server time now, ms (a stable function, safe as a hook dependency). */
  readonly now = (): number => Date.now() + this.clockOffset;

  /** Queues a message for the next frame. */
  receive(msg: ServerToTeacherMessage): void {
    this.batcher.push(msg);
  }

  /** Applies queued messages now. */
  flush(): void {
    this.batcher.flushNow();
  }

  /** Stops applying messages. */
  close(): void {
    this.batcher.close();
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.emit('connection');
  }

  /** Applies a batch of messages and notifies each changed student, series and topic once. */
  applyBatch(msgs: readonly ServerToTeacherMessage[]): void {
    const students = new Set<string>();
    const samples = new Set<string>();
    const topics = new Set<Topic>();
    let alerts: Map<string, AlertRecord> | null = null;
    const alertMap = () => (alerts ??= new Map(this.alerts.map((a) => [a.id, a])));
    for (const msg of msgs) {
      this.applied++;
      switch (msg.type) {
        case 'snapshot': {
          this.clockOffset = msg.serverTime - Date.now();
          this.settings = msg.settings;
          this.endedAt = msg.endedAt;
          for (const id of this.students.keys()) students.add(id);
          this.students.clear();
          for (const s of msg.students) {
            this.students.set(s.participantId, s);
            students.add(s.participantId);
          }
          alerts = new Map(msg.alerts.map((a) => [a.id, a]));
          this.markers = [...msg.markers].sort((a, b) => a.t - b.t);
          topics.add('roster').add('alerts').add('markers').add('settings');
          break;
        }
        case 'student': {
          const prev = this.students.get(msg.student.participantId);
          this.students.set(msg.student.participantId, msg.student);
          students.add(msg.student.participantId);
          if (
            !prev ||
            prev.status !== msg.student.status ||
            prev.name !== msg.student.name ||
            prev.lostSince !== msg.student.lostSince ||
            prev.statusSince !== msg.student.statusSince
          )
            topics.add('roster');
          break;
        }
        case 'samples': {
          for (const it of msg.items) {
            let ser = this.series.get(it.participantId);
            if (!ser) this.series.set(it.participantId, (ser = new SampleSeries()));
            ser.push(it.t, it.score, it.status);
            samples.add(it.participantId);
          }
          break;
        }
        case 'alert':
          alertMap().set(msg.alert.id, msg.alert);
          topics.add('alerts');
          break;
        case 'marker':
          if (!this.markers.some((m) => m.id === msg.marker.id)) {
            this.markers = [...this.markers, msg.marker].sort((a, b) => a.t - b.t);
            topics.add('markers');
          }
          break;
        case 'session_settings':
          this.settings = msg.settings;
          topics.add('settings');
          break;
        case 'session_ended':
          this.endedAt = this.now();
          topics.add('settings');
          break;
        case 'service':
          this.service = { storage: msg.storage, cluster: msg.cluster };
          topics.add('connection');
          break;
        case 'error':
          break;
      }
    }
    if (alerts) this.alerts = trimAlerts([...(alerts as Map<string, AlertRecord>).values()]);
    if (topics.has('roster')) {
      this.rosterVersion++;
      if (this.rosterIds.length !== this.students.size || this.rosterIds.some((id) => !this.students.has(id)))
        this.rosterIds = [...this.students.keys()];
    }
    for (const id of students) this.studentListeners.get(id)?.forEach((fn) => fn());
    for (const id of samples) this.dirtySamples.add(id);
    for (const t of topics) this.emit(t);
  }

  /**
   * The once-a-second refresh, in one task so it costs one frame: pending messages are applied, sparklines
   * and student charts with new samples are redrawn, and the class shares of this instant are appended
   * to {@link classPoints}.
   */
  tick(t: number = this.now()): void {
    this.batcher.flushNow();
    this.sortRoster();
    for (const id of this.dirtySamples) this.sampleListeners.get(id)?.forEach((fn) => fn());
    this.dirtySamples.clear();
    this.tickClass(t);
  }

  /** A student's name as shown: duplicates carry their join number ("Sam Lee #3"). */
  label(id: string): string {
    if (this.names.version !== this.rosterVersion)
      this.names = { version: this.rosterVersion, map: distinctNames(this.students.values()) };
    return this.names.map.get(id) ?? this.students.get(id)?.name ?? '';
  }

  /**
   * Holds the grid order while someone moves through the tiles with the keyboard (tiles jumping under the
   * focus would lose the reader's place); students who join meanwhile are added at the end.
   */
  freezeOrder(frozen: boolean): void {
    if (this.orderFrozen === frozen) return;
    this.orderFrozen = frozen;
    if (!frozen) this.sortRoster();
  }

  /** Recomputes {@link orderedIds} when the roster or the mode changed since the last time; emits `order`. */
  private sortRoster(): void {
    const mode = this.settings?.mode ?? 'support';
    if (this.orderVersion === this.rosterVersion && this.orderMode === mode) return;
    let next: string[];
    if (this.orderFrozen) {
      const known = new Set(this.orderedIds);
      next = this.orderedIds.filter((id) => this.students.has(id));
      for (const id of this.rosterIds) if (!known.has(id)) next.push(id);
    } else {
      this.orderVersion = this.rosterVersion;
      this.orderMode = mode;
      next = sortByNeed([...this.students.values()], mode).map((s) => s.participantId);
    }
    if (next.length === this.orderedIds.length && next.every((id, i) => id === this.orderedIds[i])) return;
    this.orderedIds = next;
    this.emit('order');
  }

  /** Appends the class shares of this instant to {@link classPoints}. */
  tickClass(t: number = this.now()): void {
    const next = [...this.classPoints, classPoint(t, this.students.values())];
    this.classPoints = next.length > CLASS_POINTS ? next.slice(next.length - CLASS_POINTS) : next;
    this.emit('class');
  }

  /** Replaces the class history (e.g. bucketed stored samples), keeping live points after it. */
  setClassHistory(points: ClassPoint[]): void {
    const after = points.length ? points[points.length - 1].t : -Infinity;
    this.classPoints = [...points, ...this.classPoints.filter((p) => p.t > after)];
    this.emit('class');
  }

  /** Adds or replaces one alert locally (e.g. after the teacher acknowledged it). */
  upsertAlert(alert: AlertRecord): void {
    this.applyBatch([{ type: 'alert', alert }]);
  }

  subscribeStudent(id: string, fn: () => void): () => void {
    return add(this.studentListeners, id, fn);
  }

  subscribeSamples(id: string, fn: () => void): () => void {
    return add(this.sampleListeners, id, fn);
  }

  subscribe(topic: Topic, fn: () => void): () => void {
    return add(this.topicListeners, topic, fn);
  }

  private emit(topic: Topic): void {
    this.topicListeners.get(topic)?.forEach((fn) => fn());
  }
}

/** Most alerts kept; beyond it the oldest ended ones go (open ones always stay). */
const MAX_ALERTS = 1000;

/** Sorts alerts oldest first and drops the oldest ended ones beyond {@link MAX_ALERTS}. */
function trimAlerts(list: AlertRecord[]): AlertRecord[] {
  list.sort((a, b) => a.startedAt - b.startedAt);
  let excess = list.length - MAX_ALERTS;
  if (excess <= 0) return list;
  return list.filter((a) => a.endedAt === null || excess-- <= 0);
}

function add<K>(map: Map<K, Set<() => void>>, key: K, fn: () => void): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0) map.delete(key);
  };
}
