/** `/`: sign up or sign in. A signed-in teacher goes straight to `/teacher`. */
import { useEffect, useState, type FormEvent } from 'react';
import { Teacher } from '@smartsession/protocol';
import { api, errorMessage } from '../shared/api.js';
import { navigate } from '../router.js';

export function SignIn() {
  const [mode, setMode] = useState<'signup' | 'login'>('signup');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const ctl = new AbortController();
    api('/api/me', { schema: Teacher, signal: ctl.signal })
      .then(() => navigate('/teacher', true))
      .catch(() => undefined);
    return () => ctl.abort();
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (mode === 'signup') await api('/api/auth/signup', { body: { name, email, password } });
      else await api('/api/auth/login', { body: { email, password } });
      navigate('/teacher');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page narrow">
      <h1>SmartSession</h1>
      <p className="muted">
        Live class engagement, computed in each student&apos;s browser: no video ever leaves their device.
      </p>
      <form onSubmit={submit} className="card form" aria-label={mode === 'signup' ? 'Sign up' : 'Sign in'}>
        <h2>{mode === 'signup' ? 'Create a teacher account' : 'Sign in'}</h2>
        {mode === 'signup' && (
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="auth-name" />
          </label>
        )}
        <label>
          Email
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
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={mode === 'signup' ? 8 : undefined}
            autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
            data-testid="auth-password"
          />
        </label>
        {error && (
          <p className="error" data-testid="auth-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="auth-submit">
          {mode === 'signup' ? 'Sign up' : 'Sign in'}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => setMode(mode === 'signup' ? 'login' : 'signup')}
          data-testid="auth-switch"
        >
          {mode === 'signup' ? 'I already have an account' : 'Create an account instead'}
        </button>
      </form>
    </main>
  );
}
