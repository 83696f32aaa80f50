/** `/join/:joinCode`: name → consent → the live view. Nothing starts before consent. */
import { useEffect, useState } from 'react';
import { JoinResponse, type JoinInfo } from '@smartsession/protocol';
import { ApiError, fetchJoinInfo, joinSession } from './api.js';
import { ConsentScreen } from './ConsentScreen.js';
import { JoinForm } from './JoinForm.js';
import { LiveView } from './LiveView.js';
import { box } from './styles.js';

type Step = { step: 'join' } | { step: 'consent'; join: JoinResponse } | { step: 'live'; join: JoinResponse };

/** The join is kept for this tab only, so a reload resumes the same participant (the server continues its seqs). */
const storageKey = (code: string) => `smartsession.join.${code.toUpperCase()}`;

function savedJoin(code: string): JoinResponse | null {
  try {
    const raw = sessionStorage.getItem(storageKey(code));
    const parsed = raw ? JoinResponse.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function StudentPage({ joinCode }: { joinCode: string }) {
  const [info, setInfo] = useState<JoinInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>(() => {
    const join = savedJoin(joinCode);
    return join ? { step: 'consent', join } : { step: 'join' };
  });

  useEffect(() => {
    let cancelled = false;
    fetchJoinInfo(joinCode).then(
      (i) => !cancelled && setInfo(i),
      (err: unknown) => {
        if (cancelled) return;
        setInfoError(
          err instanceof ApiError && err.code === 'NOT_FOUND'
            ? `There is no class with the code "${joinCode}". Check the link or the code your teacher gave you.`
            : err instanceof Error
              ? err.message
              : String(err),
        );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [joinCode]);

  const submit = async (name: string) => {
    const join = await joinSession(joinCode, name);
    try {
      sessionStorage.setItem(storageKey(joinCode), JSON.stringify(join));
    } catch {
      // Storage refused (private mode): a reload will simply join again.
    }
    setStep({ step: 'consent', join });
  };

  return (
    <main style={box.page} data-testid="student-page">
      <h1 style={box.title}>{info?.title ?? (step.step === 'join' ? 'Join a class' : step.join.title)}</h1>
      {infoError && (
        <p role="alert" style={box.error}>
          {infoError}
        </p>
      )}
      {step.step === 'join' && <JoinForm disabled={!!infoError && !info} onSubmit={submit} />}
      {step.step === 'consent' && (
        <>
          <ConsentScreen
            settings={step.join.settings}
            onAccept={() => setStep({ step: 'live', join: step.join })}
          />
          <button
            data-testid="join-other-name"
            style={box.button}
            onClick={() => {
              sessionStorage.removeItem(storageKey(joinCode));
              setStep({ step: 'join' });
            }}
          >
            Not you? Join with another name
          </button>
        </>
      )}
      {step.step === 'live' && <LiveView join={step.join} />}
    </main>
  );
}
