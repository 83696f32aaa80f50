/** React bindings of the {@link DashboardStore}: one subscription per student or topic. */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { StudentState } from '@smartsession/protocol';
import type { DashboardStore, Topic } from './store.js';
import { formatDuration } from '../shared/time.js';

/** One student's state; re-renders only when that student changes. */
export function useStudent(store: DashboardStore, id: string): StudentState | undefined {
  return useSyncExternalStore(
    (fn) => store.subscribeStudent(id, fn),
    () => store.students.get(id),
  );
}

/** A value derived from the store, re-read when `topic` fires. `read` must return a stable value between changes. */
export function useTopic<T>(store: DashboardStore, topic: Topic, read: (s: DashboardStore) => T): T {
  return useSyncExternalStore(
    (fn) => store.subscribe(topic, fn),
    () => read(store),
  );
}

// One shared 1 s timer updates every "time in state" label directly in the DOM, so the clock ticking
// never re-renders React components.
const clocks = new Map<HTMLElement, { since: number; now: () => number }>();
let timer: ReturnType<typeof setInterval> | null = null;

function tickClocks(): void {
  for (const [el, c] of clocks) {
    const text = formatDuration(c.now() - c.since);
    if (el.textContent !== text) el.textContent = text;
  }
}

/**
 * A ref for an element whose text shows the time since `since` (server ms), updated every second.
 * @param now current server time
 */
export function useElapsedRef<T extends HTMLElement>(since: number, now: () => number) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    clocks.set(el, { since, now });
    el.textContent = formatDuration(now() - since);
    timer ??= setInterval(tickClocks, 1000);
    return () => {
      clocks.delete(el);
      if (clocks.size === 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, [since, now]);
  return ref;
}
