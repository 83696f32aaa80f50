/**
 * `/signin` and `/signup`. A signed-in teacher goes straight on. Both come back to the page that asked
 * for them (`?next=/teacher/sessions/…`), so a dashboard link opened signed out lands on that dashboard.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Teacher } from '@smartsession/protocol';
import { api, errorMessage } from '../shared/api.js';
import { useI18n } from '../i18n/i18n.js';
import { navigate, safeNext } from '../router.js';
import { TopBar } from '../ui/TopBar.js';

export function SignIn({ mode }: { mode: 'signup' | 'login' }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nextParam = new URLSearchParams(window.location.search).get('next');
  const next = safeNext(nextParam);
  const keepNext = nextParam ? `?next=${encodeURIComponent(next)}` : '';
  useEffect(() => {
    const ctl = new AbortController();
    api('/api/me', { schema: Teacher, signal: ctl.signal })
      .then(() => navigate(next, true))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [next]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (mode === 'signup') await api('/api/auth/signup', { body: { name, email, password } });
      else await api('/api/auth/login', { body: { email, password } });
      navigate(next, true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const other = mode === 'signup' ? '/signin' : '/signup';
  return (
    <>
      <TopBar />
      <main className="page narrow">
        <h1>{mode === 'signup' ? t('auth.createTitle') : t('auth.signInTitle')}</h1>
        {nextParam && mode === 'login' && <p className="muted">{t('auth.signInToContinue')}</p>}
        <form onSubmit={(e) => void submit(e)} className="card form" data-testid="auth-form" data-mode={mode}>
          {mode === 'signup' && (
            <label>
              {t('auth.name')}
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                autoComplete="name"
                data-testid="auth-name"
              />
            </label>
          )}
          <label>
            {t('auth.email')}
            <input
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              autoComplete="email"
              data-testid="auth-email"
            />
          </label>
          <label>
            {t('auth.password')}
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
              minLength={mode === 'signup' ? 8 : undefined}
              autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
              aria-describedby={mode === 'signup' ? 'password-help' : undefined}
              data-testid="auth-password"
            />
          </label>
          {mode === 'signup' && (
            <p id="password-help" className="muted small-text">
              {t('auth.passwordHelp')}
            </p>
          )}
          {error && (
            <p className="field-error" role="alert" data-testid="auth-error">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="auth-submit">
            {mode === 'signup' ? t('auth.signUp') : t('auth.signIn')}
          </button>
          <a
            className="link"
            href={other + keepNext}
            onClick={(e) => {
              e.preventDefault();
              navigate(other + keepNext, true);
            }}
            data-testid="auth-switch"
          >
            {mode === 'signup' ? t('auth.haveAccount') : t('auth.noAccount')}
          </a>
        </form>
      </main>
    </>
  );
}
