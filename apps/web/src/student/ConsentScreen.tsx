/** Consent in plain words: what is analysed, what stays on this device, what the teacher sees. */
import type { SessionSettings } from '@smartsession/protocol';
import { box } from './styles.js';

export function ConsentScreen({ settings, onAccept }: { settings: SessionSettings; onAccept: () => void }) {
  const exam = settings.mode === 'exam';
  return (
    <section style={box.card} aria-labelledby="consent-title">
      <h2 id="consent-title" style={box.subtitle}>
        Before we start
      </h2>
      <ul style={box.list}>
        <li>
          This page uses your camera to work out, a few times a second, whether a face is in view, how many,
          which way your head is turned
          {settings.emotion === 'on'
            ? ', and how your face looks (brows, smile, head tilt) to guess whether you might be confused.'
            : ' and your brows and head tilt. Emotion reading is switched off for this class.'}
        </li>
        <li>
          <strong>No picture or video leaves this device.</strong> The analysis runs inside this browser; only
          short numbers and words are sent (for example “Focused, head turned 3° left”). You can see exactly
          what is sent at any time with “Show what is sent”.
        </li>
        <li>
          Your teacher sees your name, one status (Focused, Confused, Proctor Alert, Calibrating, Paused,
          Camera off, No signal) with a short reason, a confusion score over time, and when you press “I'm
          lost”.
        </li>
        <li>
          {exam
            ? 'This is an exam: looking away for a while, nobody or more than one person in view, leaving the page and pausing are reported to your teacher as alerts.'
            : 'You can pause at any time; your teacher then sees “Paused”. Nothing you do here is graded.'}
        </li>
        <li>First the page calibrates for about 3 seconds: look at the screen as you normally would.</li>
      </ul>
      <button data-testid="consent-accept" style={box.primary} onClick={onAccept}>
        I agree, start the camera
      </button>
    </section>
  );
}
