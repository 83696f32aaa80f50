/**
 * "What is sent", explained: the last message this page sent, field by field in plain words (status, why,
 * faces, head and eye direction, the score and its parts), with the exact data folded away below for
 * whoever wants to check it.
 */
import type { SequencedMessage } from '@smartsession/protocol';
import { formatClock, formatNumber, useI18n } from '../i18n/i18n.js';
import { statusWord } from '../shared/status.js';
import { CUES, cueWord, reasonAdds, reasonWords } from '../shared/reason.js';
import type { SessionView } from './studentSession.js';

export function SentExplained({ view }: { view: SessionView }) {
  const { t } = useI18n();
  const m: SequencedMessage | null = view.lastMessage;
  if (!m) return <p className="muted">{t('sent.nothing')}</p>;
  const rows: [string, string][] = [[t('sent.when'), formatClock(m.t)]];
  if (m.type === 'self_report') {
    rows.push([t('sent.what'), t(m.kind === 'lost' ? 'sent.lost' : 'sent.resolved')]);
  } else {
    rows.push([t('sent.status'), statusWord(t, m.status, view.settings.mode)]);
    if (m.reason && reasonAdds(m.reason, m.status)) rows.push([t('sent.reason'), reasonWords(t, m.reason)]);
    const f = m.frame;
    if (f) {
      rows.push([t('sent.faces'), String(f.face_count)]);
      if (f.gaze) rows.push([t('sent.head'), t(`direction.${f.gaze}`)]);
      if (f.eyes) rows.push([t('sent.eyes'), t(`direction.${f.eyes}`)]);
      rows.push([t('sent.score'), formatNumber(f.confusion_score)]);
      if (f.contributions)
        for (const k of CUES) {
          const v = f.contributions[k];
          if (v !== null) rows.push([`· ${cueWord(t, k)}`, formatNumber(v)]);
        }
      rows.push([t('sent.emotion'), f.emotion ? t(`emotion.${f.emotion}`) : t('sent.emotionNone')]);
    } else rows.push([t('sent.faces'), t('sent.noFrame')]);
  }
  return (
    <section className="card sent" data-testid="student-telemetry" aria-labelledby="sent-title">
      <h2 id="sent-title">{t('sent.title')}</h2>
      <p className="muted small-text">{t('sent.intro')}</p>
      <dl className="signals">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p className="small-text">{t('sent.never')}</p>
      <details>
        <summary className="small-text">{t('sent.exact')}</summary>
        <pre className="raw" data-testid="student-telemetry-raw">
          {JSON.stringify(m, null, 2)}
        </pre>
      </details>
    </section>
  );
}
