import { describe, expect, it } from 'vitest';
import { matchRoute, safeNext, signInPath } from './router.js';

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

  it('[issue 11] has a sign-in and a sign-up page, and a join page that asks for the code', () => {
    expect(matchRoute('/signin')).toEqual({ page: 'signin' });
    expect(matchRoute('/signup')).toEqual({ page: 'signup' });
    expect(matchRoute('/join')).toEqual({ page: 'join', joinCode: '' });
    expect(matchRoute('/join/')).toEqual({ page: 'join', joinCode: '' });
  });
});

describe('safeNext', () => {
  it('[issue 11] returns to a path of this site only', () => {
    expect(safeNext('/teacher/sessions/abc')).toBe('/teacher/sessions/abc');
    expect(safeNext(null)).toBe('/teacher');
    expect(safeNext('https://evil.example/')).toBe('/teacher');
    expect(safeNext('//evil.example/')).toBe('/teacher');
    expect(safeNext('/\\evil.example')).toBe('/teacher');
    expect(signInPath('/teacher/sessions/a b')).toBe('/signin?next=%2Fteacher%2Fsessions%2Fa%20b');
  });
});
