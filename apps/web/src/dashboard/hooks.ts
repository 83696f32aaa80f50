/** React bindings of the {@link DashboardStore}: one subscription per student or topic. */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { StudentState } from '@smartsession/protocol';
import type { DashboardStore, Topic } from './store.js';
import { formatDuration, onLocaleChange } from '../i18n/i18n.js';

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

// One shared 1 s timer updates every "time in state" label directly in the DOM (so the clock ticking
// never re-renders React components) and runs the once-a-second work of the page, all in one task so it
// costs one frame.
const clocks = new Map<HTMLElement, { since: number; now: () => number }>();
const everySecond = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function second(): void {
  for (const fn of everySecond) fn();
  for (const [el, c] of clocks) {
    const text = formatDuration(c.now() - c.since);
    if (el.textContent !== text) el.textContent = text;
  }
}

function startTimer(): void {
  timer ??= setInterval(second, 1000);
}

// A language switch rewrites every clock label at once, not a second later.
onLocaleChange(() => {
  for (const [el, c] of clocks) el.textContent = formatDuration(c.now() - c.since);
});

function stopTimerIfIdle(): void {
  if (clocks.size === 0 && everySecond.size === 0 && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
}

/** Runs `fn` once a second, in the same task as the clock labels. Returns the stop function. */
export function onEverySecond(fn: () => void): () => void {
  everySecond.add(fn);
  startTimer();
  return () => {
    everySecond.delete(fn);
    stopTimerIfIdle();
  };
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
    startTimer();
    return () => {
      clocks.delete(el);
      stopTimerIfIdle();
    };
  }, [since, now]);
  return ref;
}
