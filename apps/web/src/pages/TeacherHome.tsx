/** `/teacher`: the teacher's sessions and the form to open a new one. */
import { useEffect, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { SessionListResponse, Teacher, type SessionInfo, type SessionMode } from '@smartsession/protocol';
import { api, errorMessage, onLoadError } from '../shared/api.js';
import { navigate } from '../router.js';

const Created = z.object({ id: z.string() });

export function TeacherHome() {
  const [me, setMe] = useState<Teacher | null>(null);
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<SessionMode>('support');
  const [emotion, setEmotion] = useState<'on' | 'off'>('off');
  useEffect(() => {
    const ctl = new AbortController();
    Promise.all([
      api('/api/me', { schema: Teacher, signal: ctl.signal }),
      api('/api/sessions', { schema: SessionListResponse, signal: ctl.signal }),
    ])
      .then(([t, list]) => {
        setMe(t);
        setSessions(list.sessions);
      })
      .catch(onLoadError(ctl.signal, setError));
    return () => ctl.abort();
  }, []);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const s = await api('/api/sessions', { body: { title, mode, emotion }, schema: Created });
      navigate(`/teacher/sessions/${encodeURIComponent(s.id)}`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const logout = async () => {
    await api('/api/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
    navigate('/');
  };
  return (
    <main className="page">
      <header className="row">
        <h1>Your sessions</h1>
        <span className="muted">{me?.name}</span>
        <a
          href="/teacher/activity"
          data-testid="activity-link"
          onClick={(e) => {
            e.preventDefault();
            navigate('/teacher/activity');
          }}
        >
          Account activity
        </a>
        <button type="button" className="link" onClick={logout} data-testid="logout">
          Sign out
        </button>
      </header>
      <form className="card form inline" onSubmit={create} aria-label="New session">
        <h2>New session</h2>
        <label>
          Title
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            required
            data-testid="session-title"
          />
        </label>
        <label>
          Mode
          <select
            value={mode}
            onChange={(e) => setMode(e.target.value as SessionMode)}
            data-testid="session-mode"
          >
            <option value="support">Support: gentle hints</option>
            <option value="exam">Exam: proctoring alerts</option>
          </select>
        </label>
        <label>
          Emotion inference
          <select
            value={emotion}
            onChange={(e) => setEmotion(e.target.value as 'on' | 'off')}
            data-testid="session-emotion"
          >
            <option value="off">Off</option>
            <option value="on">On</option>
          </select>
        </label>
        <button type="submit" data-testid="session-create">
          Start session
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {sessions === null ? (
        <p className="muted">Loading…</p>
      ) : sessions.length === 0 ? (
        <p className="muted">No sessions yet.</p>
      ) : (
        <ul className="session-list">
          {sessions.map((s) => (
            <li key={s.id}>
              <a
                href={`/teacher/sessions/${s.id}`}
                onClick={(e) => (
                  e.preventDefault(),
                  navigate(`/teacher/sessions/${encodeURIComponent(s.id)}`)
                )}
                data-testid="session-link"
              >
                {s.title}
              </a>{' '}
              <span className="muted">
                {s.settings.mode} · code {s.joinCode} · {new Date(s.createdAt).toLocaleString()}
                {s.endedAt !== null && ' · ended'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
