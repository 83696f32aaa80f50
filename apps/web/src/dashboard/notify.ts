/**
 * Exam-mode attention signals the teacher may switch on: a short tone (Web Audio, generated here: no sound
 * file) and a desktop notification (the Notifications API, after the browser's permission prompt). Both
 * choices are remembered on this device.
 */
const KEY = 'smartsession.examSignals';

/** The teacher's choices. */
export interface ExamSignals {
  sound: boolean;
  desktop: boolean;
}

/** The remembered choices (both off until switched on). */
export function loadSignals(): ExamSignals {
  try {
    const v = JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Partial<ExamSignals>;
    return { sound: v.sound === true, desktop: v.desktop === true };
  } catch {
    return { sound: false, desktop: false };
  }
}

/** Remembers the choices. */
export function saveSignals(s: ExamSignals): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Not remembered; still on for this page.
  }
}

let audio: AudioContext | null = null;

/** Two short soft beeps (about 0.3 s). */
export function playTone(): void {
  const Ctx = window.AudioContext;
  if (!Ctx) return;
  audio ??= new Ctx();
  const ctx = audio;
  void ctx.resume().catch(() => undefined);
  for (const [at, freq] of [
    [0, 880],
    [0.16, 660],
  ] as const) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime + at);
    gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + at + 0.14);
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + at);
    osc.stop(ctx.currentTime + at + 0.15);
  }
}

/** Asks for permission to show desktop notifications; resolves to whether they may be shown. */
export async function askDesktopPermission(): Promise<boolean> {
  if (!('Notification' in window)) return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

/** Shows a desktop notification when allowed; clicking it brings the dashboard forward. */
export function showDesktop(title: string, body: string, tag: string): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const n = new Notification(title, { body, tag });
  n.onclick = () => window.focus();
}
