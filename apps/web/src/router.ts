/** A tiny history router: the current path as React state, `navigate()`, and route matching. */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  window.addEventListener('popstate', fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('popstate', fn);
  };
}

/** Goes to a path inside the app without a page load. */
export function navigate(path: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const fn of listeners) fn();
}

/** The current `location.pathname`, re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** A route in the app. */
export type Route =
  | { page: 'home' }
  | { page: 'signin' }
  | { page: 'signup' }
  | { page: 'teacher' }
  | { page: 'activity' }
  | { page: 'dashboard'; sessionId: string }
  | { page: 'report'; sessionId: string }
  | { page: 'join'; joinCode: string }
  | { page: 'not-found' };

/** Maps a path to a route (pure). */
export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts.length === 1 && (parts[0] === 'signin' || parts[0] === 'signup')) return { page: parts[0] };
  if (parts[0] === 'teacher') {
    if (parts.length === 1) return { page: 'teacher' };
    if (parts.length === 2 && parts[1] === 'activity') return { page: 'activity' };
    if (parts[1] === 'sessions' && parts[2]) {
      if (parts.length === 3) return { page: 'dashboard', sessionId: parts[2] };
      if (parts.length === 4 && parts[3] === 'report') return { page: 'report', sessionId: parts[2] };
    }
  }
  // `/join` and `/join/` ask for the code; `/join/CODE` has it.
  if (parts[0] === 'join' && parts.length <= 2) return { page: 'join', joinCode: parts[1] ?? '' };
  return { page: 'not-found' };
}

/**
 * Where to go after signing in: the `next` path, when it is a path of this site (`/…`, never `//host` or
 * a full URL, so a link cannot send a teacher elsewhere), else the sessions list.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/teacher';
  return next;
}

/** The sign-in page that comes back to `path` afterwards. */
export function signInPath(path: string): string {
  return `/signin?next=${encodeURIComponent(path)}`;
}
