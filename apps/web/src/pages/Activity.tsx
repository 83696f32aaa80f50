/** `/teacher/activity`: the teacher's own audit log (sign-ins, exports, deletions, settings changes). */
import { useEffect, useState } from 'react';
import { AuditResponse, type AuditEntry } from '@smartsession/protocol';
import { api, errorMessage, onLoadError } from '../shared/api.js';
import { navigate } from '../router.js';

/** What each recorded action means, in words. */
const ACTIONS: Record<string, string> = {
  'auth.signup': 'Account created',
  'auth.login': 'Signed in',
  'auth.login_failed': 'Failed sign-in (wrong password)',
  'auth.logout': 'Signed out',
  'session.create': 'Session created',
  'session.update': 'Session settings changed',
  'session.end': 'Session ended',
  'session.delete': 'Session deleted',
  'participant.update': 'Student accommodations changed',
  'participant.delete': "Student's data deleted",
  'participant.export': "Student's data exported",
  'report.view': 'Report viewed',
  'report.export': 'Report downloaded (CSV)',
};

const detailText = (e: AuditEntry) =>
  e.details
    ? Object.entries(e.details)
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(', ')
    : '';

export function Activity() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    api('/api/audit', { schema: AuditResponse, signal: ctl.signal }).then(
      (r) => {
        setEntries(r.entries);
        setNext(r.next);
      },
      onLoadError(ctl.signal, setError),
    );
    return () => ctl.abort();
  }, []);

  const more = async () => {
    try {
      const r = await api(`/api/audit?before=${next}`, { schema: AuditResponse });
      setEntries((old) => [...old, ...r.entries]);
      setNext(r.next);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <main className="page">
      <header className="row">
        <h1>Account activity</h1>
        <a
          href="/teacher"
          onClick={(e) => {
            e.preventDefault();
            navigate('/teacher');
          }}
        >
          Back to sessions
        </a>
      </header>
      <p className="muted">
        Everything done with your account: sign-ins, exports, deletions and settings changes, with the address
        it came from. A sign-in you do not recognise means someone else has your password or cookie: change
        the password and sign out everywhere.
      </p>
      {error && <p role="alert">{error}</p>}
      <table className="card" data-testid="audit-log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Details</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
              <td>{new Date(e.t).toLocaleString()}</td>
              <td>{ACTIONS[e.action] ?? e.action}</td>
              <td>{detailText(e)}</td>
              <td>{e.ip ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next !== null && (
        <button type="button" onClick={() => void more()}>
          Older entries
        </button>
      )}
    </main>
  );
}
