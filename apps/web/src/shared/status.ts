/**
 * Status words and colours shared by the teacher dashboard and the student page, so both show the same
 * words and colours (seed: green Focused, yellow Confused, red Proctor Alert; grey otherwise).
 */
import type { StudentStatus } from '@smartsession/protocol';

/** Colour family of a status: the tile colour class. */
export type StatusTone = 'green' | 'yellow' | 'red' | 'grey';

/** What a status looks like: its word, colour family and CSS colours. */
export interface StatusLook {
  /** The word shown to people ("Focused", "Proctor Alert"). */
  word: string;
  tone: StatusTone;
  /** Solid colour (badges, chart lines), CSS colour. */
  colour: string;
  /** Light background for tiles, CSS colour. */
  background: string;
}

/** Colours per tone (solid, light background). */
export const TONE_COLOURS: Record<StatusTone, { colour: string; background: string }> = {
  green: { colour: '#1e9e4a', background: '#e3f6ea' },
  yellow: { colour: '#d9a400', background: '#fff6d6' },
  red: { colour: '#d93025', background: '#fde4e2' },
  grey: { colour: '#80868b', background: '#eef0f2' },
};

const WORDS: Record<StudentStatus, [string, StatusTone]> = {
  focused: ['Focused', 'green'],
  confused: ['Confused', 'yellow'],
  alert: ['Proctor Alert', 'red'],
  calibrating: ['Calibrating', 'grey'],
  paused: ['Paused', 'grey'],
  'camera-off': ['Camera off', 'grey'],
  'no-signal': ['No signal', 'grey'],
  offline: ['Offline', 'grey'],
};

/** Every status with its look, in the order of the protocol enum. */
export const STATUS_LOOK: Record<StudentStatus, StatusLook> = Object.fromEntries(
  (Object.keys(WORDS) as StudentStatus[]).map((s) => {
    const [word, tone] = WORDS[s];
    return [s, { word, tone, ...TONE_COLOURS[tone] }];
  }),
) as Record<StudentStatus, StatusLook>;

/** The word for a status ("Focused"). */
export function statusWord(status: StudentStatus): string {
  return STATUS_LOOK[status].word;
}

/** The colour family of a status. */
export function statusTone(status: StudentStatus): StatusTone {
  return STATUS_LOOK[status].tone;
}

/** True for the grey statuses (no analysis result to judge: calibrating, paused, camera off, no signal, offline). */
export function isGreyStatus(status: StudentStatus): boolean {
  return STATUS_LOOK[status].tone === 'grey';
}
