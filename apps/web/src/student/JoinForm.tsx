/** The name step: the name the teacher will see. */
import { useState, type FormEvent } from 'react';
import { LIMITS } from '@smartsession/protocol';
import { useI18n } from '../i18n/i18n.js';

export function JoinForm({ onSubmit }: { onSubmit: (name: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError(t('student.nameMissing'));
    onSubmit(trimmed);
  };

  return (
    <form onSubmit={submit} className="card form" noValidate>
      <label htmlFor="student-name">{t('student.nameLabel')}</label>
      <input
        id="student-name"
        data-testid="join-name"
        value={name}
        maxLength={LIMITS.maxNameLength}
        autoComplete="name"
        autoFocus
        aria-describedby="student-name-help"
        aria-invalid={error ? true : undefined}
        onChange={(e) => setName(e.target.value)}
      />
      <p id="student-name-help" className="muted small-text">
        {t('student.nameHelp')}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <button data-testid="join-submit" type="submit" className="btn btn-primary">
        {t('student.next')}
      </button>
    </form>
  );
}
