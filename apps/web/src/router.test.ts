import { describe, expect, it } from 'vitest';
import { matchRoute } from './router.js';

describe('matchRoute', () => {
  it('maps every page of contract.md', () => {
    expect(matchRoute('/')).toEqual({ page: 'home' });
    expect(matchRoute('/teacher')).toEqual({ page: 'teacher' });
    expect(matchRoute('/teacher/activity')).toEqual({ page: 'activity' });
    expect(matchRoute('/teacher/sessions/abc')).toEqual({ page: 'dashboard', sessionId: 'abc' });
    expect(matchRoute('/teacher/sessions/abc/report')).toEqual({ page: 'report', sessionId: 'abc' });
    expect(matchRoute('/join/K7P-2QX')).toEqual({ page: 'join', joinCode: 'K7P-2QX' });
    expect(matchRoute('/join/a%20b/')).toEqual({ page: 'join', joinCode: 'a b' });
    expect(matchRoute('/teacher/sessions')).toEqual({ page: 'not-found' });
    expect(matchRoute('/nope')).toEqual({ page: 'not-found' });
  });
});
