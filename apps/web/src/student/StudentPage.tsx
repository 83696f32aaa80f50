/**
 * `/join/:joinCode`: code (when missing or wrong) → name → consent → the live view. Nothing is sent before
 * the student agrees: the join itself (`POST /api/join`) happens on "I agree", so a student who does not
 * agree never appears on the teacher's dashboard. Emotion reading is a separate choice, off unless ticked.
 */
import { useEffect, useState } from 'react';
import { JoinResponse, type JoinInfo } from '@smartsession/protocol';
import { ApiError, fetchJoinInfo, joinSession } from './api.js';
import { ConsentScreen, Declined } from './ConsentScreen.js';
import { JoinForm } from './JoinForm.js';
import { LiveView } from './LiveView.js';
import { CodeForm } from '../pages/Home.js';
import { useI18n } from '../i18n/i18n.js';
import { TopBar } from '../ui/TopBar.js';

type Step =
  | { step: 'name' }
  | { step: 'consent'; name: string; join: JoinResponse | null }
  | { step: 'declined'; name: string; join: JoinResponse | null }
  | { step: 'live'; join: JoinResponse; emotionConsent: boolean; place?: 'browser' | 'server' };

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

type InfoState =
  { kind: 'loading' } | { kind: 'ok'; info: JoinInfo } | { kind: 'error'; code: string; message: string };

export function StudentPage({ joinCode }: { joinCode: string }) {
  const { t } = useI18n();
  const [info, setInfo] = useState<InfoState>({ kind: 'loading' });
  const [step, setStep] = useState<Step>(() => {
    const join = joinCode ? savedJoin(joinCode) : null;
    return join ? { step: 'consent', name: '', join } : { step: 'name' };
  });

  useEffect(() => {
    if (!joinCode) return;
    let cancelled = false;
    fetchJoinInfo(joinCode).then(
      (i) => !cancelled && setInfo({ kind: 'ok', info: i }),
      (err: unknown) => {
        if (cancelled) return;
        const code = err instanceof ApiError ? err.code : 'NETWORK';
        setInfo({ kind: 'error', code, message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [joinCode]);

  const accept = async (
    name: string,
    join: JoinResponse | null,
    emotionConsent: boolean,
    place?: 'browser' | 'server',
  ) => {
    const joined = join ?? (await joinSession(joinCode, name));
    try {
      sessionStorage.setItem(storageKey(joinCode), JSON.stringify(joined));
    } catch {
      // Storage refused (private mode): a reload will simply join again.
    }
    setStep({ step: 'live', join: joined, emotionConsent, ...(place ? { place } : {}) });
  };

  const title =
    info.kind === 'ok' ? info.info.title : step.step === 'live' ? step.join.title : t('student.joinTitle');

  let body;
  if (!joinCode) {
    body = (
      <section className="card" aria-labelledby="code-title">
        <h2 id="code-title">{t('student.enterCode')}</h2>
        <CodeForm />
      </section>
    );
  } else if (info.kind === 'error' && step.step !== 'live') {
    body = (
      <>
        <p role="alert" className="banner banner-error" data-testid="join-error">
          {info.code === 'NOT_FOUND'
            ? t('student.noSuchClass', { code: joinCode })
            : info.code === 'SESSION_ENDED'
              ? t('student.classEnded')
              : t('student.cannotReach')}
        </p>
        <section className="card" aria-labelledby="code-title">
          <h2 id="code-title">{t('student.tryAnotherCode')}</h2>
          <CodeForm />
        </section>
      </>
    );
  } else if (info.kind === 'loading' && step.step !== 'live') {
    body = <p className="muted">{t('common.loading')}</p>;
  } else if (step.step === 'name') {
    body = <JoinForm onSubmit={(name) => setStep({ step: 'consent', name, join: null })} />;
  } else if (step.step === 'consent' && info.kind === 'ok') {
    body = (
      <>
        <ConsentScreen
          settings={info.info.settings}
          onAccept={(emotionConsent, place) => accept(step.name, step.join, emotionConsent, place)}
          onDecline={() => setStep({ step: 'declined', name: step.name, join: step.join })}
        />
        <button
          type="button"
          className="btn btn-link"
          data-testid="join-other-name"
          onClick={() => {
            sessionStorage.removeItem(storageKey(joinCode));
            setStep({ step: 'name' });
          }}
        >
          {step.join ? t('student.notYou') : t('student.changeName')}
        </button>
      </>
    );
  } else if (step.step === 'declined') {
    body = <Declined onBack={() => setStep({ step: 'consent', name: step.name, join: step.join })} />;
  } else if (step.step === 'live') {
    body = <LiveView join={step.join} emotionConsent={step.emotionConsent} place={step.place} />;
  }

  return (
    <>
      <TopBar />
      <main className="page student-page" data-testid="student-page">
        <h1>{title}</h1>
        {body}
      </main>
    </>
  );
}
