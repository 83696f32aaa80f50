/** `/teacher`: the teacher's sessions and the form to open a new one. */
import { useEffect, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { SessionListResponse, Teacher, type SessionInfo, type SessionMode } from '@smartsession/protocol';
import { api, errorMessage, onLoadError } from '../shared/api.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { navigate } from '../router.js';
import { TopBar } from '../ui/TopBar.js';
import { Banner } from '../ui/Banner.js';

const Created = z.object({ id: z.string() });

export function TeacherHome() {
  const { t } = useI18n();
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
      .then(([teacher, list]) => {
        setMe(teacher);
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
    <>
      <TopBar home="/teacher">
        {me && <span className="muted">{me.name}</span>}
        <a
          href="/teacher/activity"
          data-testid="activity-link"
          onClick={(e) => {
            e.preventDefault();
            navigate('/teacher/activity');
          }}
        >
          {t('activity.link')}
        </a>
        <button type="button" className="btn btn-link" onClick={() => void logout()} data-testid="logout">
          {t('auth.signOut')}
        </button>
      </TopBar>
      <main className="page">
        <h1>{t('teacher.title')}</h1>
        <form
          className="card form form-inline"
          onSubmit={(e) => void create(e)}
          aria-labelledby="new-session-title"
        >
          <h2 id="new-session-title">{t('teacher.newSession')}</h2>
          <label>
            {t('teacher.sessionTitle')}
            <input
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              data-testid="session-title"
            />
          </label>
          <label>
            {t('settings.mode')}
            <select
              value={mode}
              onChange={(e) => setMode(e.target.value as SessionMode)}
              data-testid="session-mode"
            >
              <option value="support">{t('settings.mode.support')}</option>
              <option value="exam">{t('settings.mode.exam')}</option>
            </select>
          </label>
          <label>
            {t('settings.emotion')}
            <select
              value={emotion}
              onChange={(e) => setEmotion(e.target.value as 'on' | 'off')}
              data-testid="session-emotion"
            >
              <option value="off">{t('settings.emotion.off')}</option>
              <option value="on">{t('settings.emotion.on')}</option>
            </select>
          </label>
          <button type="submit" className="btn btn-primary" data-testid="session-create">
            {t('teacher.start')}
          </button>
        </form>
        {error && <Banner kind="error">{error}</Banner>}
        <h2>{t('teacher.list')}</h2>
        {sessions === null ? (
          <p className="muted">{t('common.loading')}</p>
        ) : sessions.length === 0 ? (
          <p className="muted">{t('teacher.none')}</p>
        ) : (
          <ul className="session-list">
            {sessions.map((s) => (
              <li key={s.id} className="session-row">
                <a
                  href={`/teacher/sessions/${s.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/teacher/sessions/${encodeURIComponent(s.id)}`);
                  }}
                  data-testid="session-link"
                >
                  {s.title}
                </a>
                <span className="muted">
                  {t('teacher.sessionMeta', {
                    mode: s.settings.mode,
                    code: s.joinCode,
                    when: formatDateTime(s.createdAt),
                    ended: s.endedAt !== null ? 'yes' : 'no',
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
