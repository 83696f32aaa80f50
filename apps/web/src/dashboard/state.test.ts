import { describe, expect, it } from 'vitest';
import type { ServerToTeacherMessage, StudentState } from '@smartsession/protocol';
import { alert, settings, snapshot as snap, student } from '../../test/support/teacherMessages.js';
import {
  appendClassPoint,
  applyMessages,
  EMPTY_DASHBOARD,
  gridOrder,
  withClassHistory,
  type DashboardState,
} from './state.js';

/** A snapshot sent at server time 5000. */
const snapshot: typeof snap = (students, over = {}) => snap(students, { serverTime: 5000, ...over });

const apply = (state: DashboardState, msgs: ServerToTeacherMessage[], now = 3000) =>
  applyMessages(state, msgs, now);

describe('dashboard reducer', () => {
  it('a snapshot sets roster, settings, clock offset, alerts and sorted markers, and never changes its input', () => {
    const before = EMPTY_DASHBOARD;
    const { state, changes } = apply(before, [
      snapshot([student('a'), student('b')], {
        alerts: [alert('x', 7)],
        markers: [
          { id: 'm2', t: 9, label: 'two' },
          { id: 'm1', t: 8, label: 'one' },
        ],
      }),
    ]);
    expect(state.clockOffset).toBe(2000);
    expect(state.settings).toEqual(settings);
    expect([...state.students.keys()]).toEqual(['a', 'b']);
    expect(state.rosterIds).toEqual(['a', 'b']);
    expect(state.rosterVersion).toBe(1);
    expect(state.alerts.map((a) => a.id)).toEqual(['x']);
    expect(state.markers.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect([...changes.topics].sort()).toEqual(['alerts', 'markers', 'roster', 'settings']);
    expect([...changes.students]).toEqual(['a', 'b']);
    expect(before).toEqual(EMPTY_DASHBOARD);
    expect(before.students.size).toBe(0);
    expect(state.applied).toBe(1);
  });

  it('a new snapshot replaces the roster and names who left as changed', () => {
    const one = apply(EMPTY_DASHBOARD, [snapshot([student('a'), student('b')])]).state;
    const { state, changes } = apply(one, [snapshot([student('a', { status: 'offline' })])]);
    expect([...state.students.keys()]).toEqual(['a']);
    expect(state.rosterIds).toEqual(['a']);
    expect([...changes.students].sort()).toEqual(['a', 'b']);
    expect(one.students.size).toBe(2);
  });

  it('a student message changes one student; the roster topic only for what the grid shows', () => {
    const one = apply(EMPTY_DASHBOARD, [snapshot([student('a')])]).state;
    const seen = apply(one, [{ type: 'student', student: student('a', { lastSeenAt: 2000 }) }]);
    expect([...seen.changes.students]).toEqual(['a']);
    expect(seen.changes.topics.size).toBe(0);
    expect(seen.state.rosterIds).toBe(one.rosterIds);
    const moved = apply(one, [
      { type: 'student', student: student('a', { status: 'confused', statusSince: 2000 }) },
      { type: 'student', student: student('c') },
    ]);
    expect([...moved.changes.topics]).toEqual(['roster']);
    expect(moved.state.rosterIds).toEqual(['a', 'c']);
    expect(moved.state.students.get('a')?.status).toBe('confused');
    expect(one.students.get('a')?.status).toBe('focused');
  });

  it('samples come back per student, in order, without touching the state', () => {
    const { state, changes } = apply(EMPTY_DASHBOARD, [
      {
        type: 'samples',
        items: [
          { participantId: 'a', t: 1, ct: 1, seq: 1, score: 0.2, status: 'focused' },
          { participantId: 'b', t: 2, ct: 2, seq: 1, score: null, status: 'calibrating' },
          { participantId: 'a', t: 2, ct: 2, seq: 2, score: 0.8, status: 'confused' },
        ],
      },
    ]);
    expect(changes.samples.get('a')).toEqual([
      { t: 1, score: 0.2, status: 'focused' },
      { t: 2, score: 0.8, status: 'confused' },
    ]);
    expect(changes.samples.get('b')).toHaveLength(1);
    expect(changes.topics.size).toBe(0);
    expect(state.applied).toBe(1);
  });

  it('alerts are upserted by id and kept oldest first; the oldest ended ones go beyond 1000, open ones stay', () => {
    const one = apply(EMPTY_DASHBOARD, [
      { type: 'alert', alert: alert('late', 20) },
      { type: 'alert', alert: alert('early', 10) },
    ]).state;
    expect(one.alerts.map((a) => a.id)).toEqual(['early', 'late']);
    const ended = apply(one, [{ type: 'alert', alert: alert('early', 10, 15) }]).state;
    expect(ended.alerts.map((a) => [a.id, a.endedAt])).toEqual([
      ['early', 15],
      ['late', null],
    ]);
    const many: ServerToTeacherMessage[] = Array.from({ length: 1001 }, (_, i) => ({
      type: 'alert',
      alert: alert(`e${i}`, 100 + i, 200 + i),
    }));
    const trimmed = apply(ended, many).state;
    expect(trimmed.alerts).toHaveLength(1000);
    expect(trimmed.alerts.some((a) => a.id === 'late')).toBe(true);
    expect(trimmed.alerts.some((a) => a.id === 'early')).toBe(false);
  });

  it('markers are added once; settings, the end and the service state follow their messages', () => {
    const one = apply(EMPTY_DASHBOARD, [snapshot([])]).state;
    const { state, changes } = apply(
      one,
      [
        { type: 'marker', marker: { id: 'm', t: 7, label: 'fractions' } },
        { type: 'marker', marker: { id: 'm', t: 7, label: 'fractions' } },
        { type: 'session_settings', settings: { ...settings, mode: 'exam' } },
        { type: 'session_ended' },
        { type: 'service', storage: 'down', cluster: 'single' },
      ],
      10_000,
    );
    expect(state.markers).toHaveLength(1);
    expect(state.settings?.mode).toBe('exam');
    expect(state.endedAt).toBe(10_000 + one.clockOffset);
    expect(state.service).toEqual({ storage: 'down', cluster: 'single' });
    expect([...changes.topics].sort()).toEqual(['connection', 'markers', 'settings']);
  });
});

describe('grid order and class points', () => {
  const roster = (students: StudentState[]) => apply(EMPTY_DASHBOARD, [snapshot(students)]).state;

  it('puts who needs attention first; frozen, keeps the old order with newcomers last', () => {
    const s = roster([student('a'), student('b', { status: 'confused' }), student('c')]);
    const order = gridOrder([], s, 'support', false);
    expect(order).toEqual(['b', 'a', 'c']);
    expect(gridOrder(order, s, 'support', false)).toBe(order);
    const later = roster([student('a', { status: 'alert', alert: 'GAZE_AWAY' }), student('c'), student('d')]);
    expect(gridOrder(order, later, 'support', true)).toEqual(['a', 'c', 'd']);
  });

  it('class points keep two hours at one a second; history goes before the live points after it', () => {
    const p = (t: number) => ({ t, focused: 1, confused: 0, alert: 0, lost: 0, present: 1 });
    let points = Array.from({ length: 7200 }, (_, i) => p(i));
    points = appendClassPoint(points, p(7200));
    expect(points).toHaveLength(7200);
    expect(points[0]!.t).toBe(1);
    expect(withClassHistory([p(5), p(50)], [p(1), p(10)]).map((x) => x.t)).toEqual([1, 10, 50]);
  });
});
