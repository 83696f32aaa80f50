import { describe, expect, it } from 'vitest';
import { settings, snapshot, student } from '../../test/support/teacherMessages.js';
import { DashboardStore } from './store.js';

function setup() {
  const store = new DashboardStore();
  // What the once-a-second tick does first: apply the queued messages.
  const frame = () => store.flush();
  return { store, frame };
}

describe('DashboardStore', () => {
  it('applies queued messages together and notifies only the students that changed', () => {
    const { store, frame } = setup();
    store.receive(snapshot([student('a'), student('b')]));
    frame();
    const seen: string[] = [];
    store.subscribeStudent('a', () => seen.push('a'));
    store.subscribeStudent('b', () => seen.push('b'));
    let roster = 0;
    store.subscribe('roster', () => roster++);
    store.receive({ type: 'student', student: student('a', { status: 'confused', statusSince: 2000 }) });
    store.receive({
      type: 'student',
      student: student('a', { status: 'alert', alert: 'GAZE_AWAY', statusSince: 3000 }),
    });
    expect(seen).toEqual([]);
    frame();
    expect(seen).toEqual(['a']);
    expect(roster).toBe(1);
    expect(store.students.get('a')?.status).toBe('alert');
    expect(store.applied).toBe(3);
  });

  it('keeps samples per student and redraws their sparkline on the next once-a-second tick', () => {
    const { store, frame } = setup();
    let drawsA = 0;
    store.subscribeSamples('a', () => drawsA++);
    store.receive({
      type: 'samples',
      items: [
        { participantId: 'a', t: 1, ct: 1, seq: 1, score: 0.2, status: 'focused' },
        { participantId: 'a', t: 2, ct: 2, seq: 2, score: 0.8, status: 'confused' },
        { participantId: 'b', t: 2, ct: 2, seq: 1, score: null, status: 'calibrating' },
      ],
    });
    frame();
    expect(drawsA).toBe(0);
    store.tick();
    expect(drawsA).toBe(1);
    store.tick();
    expect(drawsA).toBe(1);
    expect(store.series.get('a')?.view().status).toEqual(['focused', 'confused']);
    expect(store.series.get('b')?.length).toBe(1);
  });

  it('upserts alerts by id (start, then end), adds markers once, follows settings', () => {
    const { store, frame } = setup();
    const alert = {
      id: 'x',
      participantId: 'a',
      kind: 'proctor' as const,
      code: 'NO_PERSON' as const,
      startedAt: 5,
      endedAt: null,
      acknowledgedAt: null,
    };
    store.receive(snapshot([student('a')]));
    store.receive({ type: 'alert', alert });
    store.receive({ type: 'marker', marker: { id: 'm', t: 7, label: 'fractions' } });
    store.receive({ type: 'marker', marker: { id: 'm', t: 7, label: 'fractions' } });
    frame();
    expect(store.alerts).toEqual([alert]);
    expect(store.markers).toHaveLength(1);
    store.receive({ type: 'alert', alert: { ...alert, endedAt: 9 } });
    store.receive({ type: 'session_settings', settings: { ...settings, mode: 'exam' } });
    frame();
    expect(store.alerts).toHaveLength(1);
    expect(store.alerts[0].endedAt).toBe(9);
    expect(store.settings?.mode).toBe('exam');
  });

  it('a new snapshot (after a reconnect) replaces the roster instead of duplicating it', () => {
    const { store, frame } = setup();
    store.receive(snapshot([student('a'), student('b')]));
    frame();
    store.receive(snapshot([student('a', { status: 'offline' })]));
    frame();
    expect([...store.students.keys()]).toEqual(['a']);
    expect(store.students.get('a')?.status).toBe('offline');
  });

  it('tickClass appends the class shares of the moment', () => {
    const { store, frame } = setup();
    store.receive(snapshot([student('a'), student('b', { status: 'confused', lostSince: 3 })]));
    frame();
    store.tickClass(10_000);
    expect(store.classPoints).toEqual([
      { t: 10_000, focused: 0.5, confused: 0.5, alert: 0, lost: 1, present: 2 },
    ]);
  });

  it('[issue 11] keeps the grid in need order (a DOM order, not CSS order), held while the keyboard is in it', () => {
    const { store, frame } = setup();
    store.receive({
      type: 'snapshot',
      sessionId: 's',
      serverTime: 0,
      settings,
      endedAt: null,
      students: [student('a'), student('b'), student('c')],
      alerts: [],
      markers: [],
    });
    frame();
    store.tick(0);
    expect(store.orderedIds).toEqual(['a', 'b', 'c']);
    store.receive({ type: 'student', student: student('c', { status: 'confused', statusSince: 2000 }) });
    frame();
    store.tick(0);
    expect(store.orderedIds).toEqual(['c', 'a', 'b']);
    store.freezeOrder(true);
    store.receive({
      type: 'student',
      student: student('b', { status: 'alert', alert: 'GAZE_AWAY', statusSince: 3000 }),
    });
    store.receive({ type: 'student', student: student('d') });
    frame();
    store.tick(0);
    expect(store.orderedIds).toEqual(['c', 'a', 'b', 'd']);
    store.freezeOrder(false);
    expect(store.orderedIds).toEqual(['b', 'c', 'a', 'd']);
  });

  it('[issue 11] tells two students with the same name apart by their join number', () => {
    const { store, frame } = setup();
    store.receive({
      type: 'snapshot',
      sessionId: 's',
      serverTime: 0,
      settings,
      endedAt: null,
      students: [
        student('x', { name: 'Sam Lee', number: 3 }),
        student('y', { name: 'sam lee', number: 7 }),
        student('z', { name: 'Emma Moreau', number: 4 }),
      ],
      alerts: [],
      markers: [],
    });
    frame();
    expect([store.label('x'), store.label('y'), store.label('z')]).toEqual([
      'Sam Lee #3',
      'sam lee #7',
      'Emma Moreau',
    ]);
  });
});
