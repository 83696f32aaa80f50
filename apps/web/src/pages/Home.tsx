/** `/`: the front door. A student types the class code; a teacher signs in or creates an account. */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { navigate } from '../router.js';
import { TopBar } from '../ui/TopBar.js';

/** A typed code as the join path uses it (spaces and case do not matter; the server normalises too). */
function cleanCode(raw: string): string {
  return raw.trim().toUpperCase().replace(/\s+/g, '');
}

/** The class-code form (`join-code-input`, `join-code-submit`), also shown by the join page without a code. */
export function CodeForm({ initial = '' }: { initial?: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = cleanCode(code);
    if (c.length < 4) return setError(t('home.codeTooShort'));
    navigate(`/join/${encodeURIComponent(c)}`);
  };
  return (
    <form className="code-form" onSubmit={submit} noValidate>
      <label htmlFor="class-code">{t('home.codeLabel')}</label>
      <div className="code-row">
        <input
          id="class-code"
          className="code-input"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          aria-describedby={error ? 'class-code-error' : 'class-code-help'}
          aria-invalid={error ? true : undefined}
          data-testid="join-code-input"
        />
        <button type="submit" className="btn btn-primary" data-testid="join-code-submit">
          {t('home.join')}
        </button>
      </div>
      {error ? (
        <p id="class-code-error" className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <p id="class-code-help" className="muted">
          {t('home.codeHelp')}
        </p>
      )}
    </form>
  );
}

export function Home() {
  const { t } = useI18n();
  const go = (path: string) => (e: React.MouseEvent) => {
    e.preventDefault();
    navigate(path);
  };
  return (
    <>
      <TopBar />
      <main className="page front-door" data-testid="front-door">
        <h1>{t('home.title')}</h1>
        <p className="lead">{t('home.lead')}</p>
        <section className="card" aria-labelledby="students-title">
          <h2 id="students-title">{t('home.students')}</h2>
          <CodeForm />
        </section>
        <section className="card" aria-labelledby="teachers-title">
          <h2 id="teachers-title">{t('home.teachers')}</h2>
          <p>{t('home.teachersText')}</p>
          <div className="actions">
            <a className="btn btn-primary" href="/signin" onClick={go('/signin')} data-testid="home-signin">
              {t('auth.signIn')}
            </a>
            <a className="btn" href="/signup" onClick={go('/signup')} data-testid="home-signup">
              {t('auth.createAccount')}
            </a>
          </div>
        </section>
      </main>
    </>
  );
}
