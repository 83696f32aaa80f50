/**
 * The dashboard's live state, outside React: a thin shell around the pure {@link applyMessages}. Socket
 * messages wait in a queue and are applied together by the once-a-second {@link DashboardStore.tick}, so
 * the page renders one frame a second for everything (messages, tile places, sparklines, clocks, class
 * chart): with a large class most of a frame's cost is fixed (paint, layerize, pre-paint of 300 tiles).
 * Components subscribe to one student or one topic, so a change for one student redraws that student's
 * tile and never re-renders the whole grid.
 */
import type { AlertRecord, ServerToTeacherMessage } from '@smartsession/protocol';
import type { ConnectionState } from '../shared/socket.js';
import { classPoint, type ClassPoint } from './aggregate.js';
import { SampleSeries } from './series.js';
import { distinctNames } from './names.js';
import {
  appendClassPoint,
  applyMessages,
  EMPTY_DASHBOARD,
  gridOrder,
  withClassHistory,
  type DashboardState,
  type Topic,
} from './state.js';

export type { Topic } from './state.js';

/** Live state of one session's dashboard. */
export class DashboardStore {
  private state: DashboardState = EMPTY_DASHBOARD;
  connection: ConnectionState = { kind: 'connecting' };
  readonly series = new Map<string, SampleSeries>();
  /** Class shares once per {@link tickClass} call, oldest first (a new array on every change). */
  classPoints: ClassPoint[] = [];
  /**
   * Student ids in need order (who needs attention first, see `sortByNeed`): the grid renders its tiles in
   * this order, so the DOM, Tab and screen readers follow what is seen. Recomputed on the once-a-second
   * tick when the roster changed, not while {@link freezeOrder} holds it (keyboard focus in the grid).
   */
  orderedIds: readonly string[] = [];

  private pending: ServerToTeacherMessage[] = [];
  private readonly studentListeners = new Map<string, Set<() => void>>();
  private readonly sampleListeners = new Map<string, Set<() => void>>();
  private readonly topicListeners = new Map<Topic, Set<() => void>>();
  /** Students with samples not yet drawn; drawn together once a second by {@link tick}. */
  private readonly dirtySamples = new Set<string>();
  private orderVersion = -1;
  private orderMode: string | null = null;
  private orderFrozen = false;
  private names: { version: number; map: Map<string, string> } = { version: -1, map: new Map() };

  get settings() {
    return this.state.settings;
  }
  get endedAt() {
    return this.state.endedAt;
  }
  /** Server clock minus local clock, ms (from the last snapshot). */
  get clockOffset() {
    return this.state.clockOffset;
  }
  /** The server's own health (storage, other instances), from its `service` messages. */
  get service() {
    return this.state.service;
  }
  get students() {
    return this.state.students;
  }
  /** Alerts, oldest first (a new array on every change). */
  get alerts() {
    return this.state.alerts;
  }
  /** Markers, oldest first (a new array on every change). */
  get markers() {
    return this.state.markers;
  }
  /** Bumped on every roster change; lets components memoise derived lists. */
  get rosterVersion() {
    return this.state.rosterVersion;
  }
  /** Messages applied so far (for tests and the benchmark). */
  get applied() {
    return this.state.applied;
  }

  /** Server time now, ms (a stable function, safe as a hook dependency). */
  readonly now = (): number => Date.now() + this.state.clockOffset;

  /** Queues a message for the next {@link tick}. */
  receive(msg: ServerToTeacherMessage): void {
    this.pending.push(msg);
  }

  /** Applies queued messages now. */
  flush(): void {
    if (this.pending.length === 0) return;
    const msgs = this.pending;
    this.pending = [];
    this.apply(msgs);
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.emit('connection');
  }

  /** Applies messages and notifies each changed student and topic once; new samples are drawn on the next tick. */
  private apply(msgs: readonly ServerToTeacherMessage[]): void {
    const { state, changes } = applyMessages(this.state, msgs, Date.now());
    this.state = state;
    for (const [id, items] of changes.samples) {
      let ser = this.series.get(id);
      if (!ser) this.series.set(id, (ser = new SampleSeries()));
      for (const it of items) ser.push(it.t, it.score, it.status);
      this.dirtySamples.add(id);
    }
    for (const id of changes.students) this.studentListeners.get(id)?.forEach((fn) => fn());
    for (const t of changes.topics) this.emit(t);
  }

  /**
   * The once-a-second refresh, in one task so it costs one frame: pending messages are applied, the grid
   * order is brought up to date, sparklines and student charts with new samples are redrawn, and the class
   * shares of this instant are appended to {@link classPoints}.
   */
  tick(t: number = this.now()): void {
    this.flush();
    this.sortRoster();
    for (const id of this.dirtySamples) this.sampleListeners.get(id)?.forEach((fn) => fn());
    this.dirtySamples.clear();
    this.tickClass(t);
  }

  /** A student's name as shown: duplicates carry their join number ("Sam Lee #3"). */
  label(id: string): string {
    if (this.names.version !== this.state.rosterVersion)
      this.names = { version: this.state.rosterVersion, map: distinctNames(this.state.students.values()) };
    return this.names.map.get(id) ?? this.state.students.get(id)?.name ?? '';
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
    const mode = this.state.settings?.mode ?? 'support';
    if (this.orderVersion === this.state.rosterVersion && this.orderMode === mode) return;
    if (!this.orderFrozen) {
      this.orderVersion = this.state.rosterVersion;
      this.orderMode = mode;
    }
    const next = gridOrder(this.orderedIds, this.state, mode, this.orderFrozen);
    if (next === this.orderedIds) return;
    this.orderedIds = next;
    this.emit('order');
  }

  /** Appends the class shares of this instant to {@link classPoints}. */
  tickClass(t: number = this.now()): void {
    this.classPoints = appendClassPoint(this.classPoints, classPoint(t, this.state.students.values()));
    this.emit('class');
  }

  /** Replaces the class history (e.g. bucketed stored samples), keeping live points after it. */
  setClassHistory(points: ClassPoint[]): void {
    this.classPoints = withClassHistory(this.classPoints, points);
    this.emit('class');
  }

  /** Adds or replaces one alert locally (e.g. after the teacher acknowledged it). */
  upsertAlert(alert: AlertRecord): void {
    this.apply([{ type: 'alert', alert }]);
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

function add<K>(map: Map<K, Set<() => void>>, key: K, fn: () => void): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0) map.delete(key);
  };
}
