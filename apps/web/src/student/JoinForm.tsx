/** The join step: a display name. */
import { useState, type FormEvent } from 'react';
import { LIMITS } from '@smartsession/protocol';
import { box } from './styles.js';

export function JoinForm({
  disabled,
  onSubmit,
}: {
  disabled: boolean;
  onSubmit: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Please type the name your teacher will see.');
    setBusy(true);
    setError(null);
    try {
      await onSubmit(trimmed);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} style={box.card}>
      <label style={box.label}>
        Your name (as your teacher should see it)
        <input
          data-testid="join-name"
          style={box.input}
          value={name}
          maxLength={LIMITS.maxNameLength}
          autoFocus
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" style={box.error}>
          {error}
        </p>
      )}
      <button data-testid="join-submit" type="submit" style={box.primary} disabled={busy || disabled}>
        {busy ? 'Joining…' : 'Join'}
      </button>
    </form>
  );
}
