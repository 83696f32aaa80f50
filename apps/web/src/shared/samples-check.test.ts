import { describe, expect, it } from 'vitest';
import { ServerToTeacherMessage } from '@smartsession/protocol';
import { isSamplesMessage } from './samples-check.js';

const item = {
  participantId: 'p1',
  t: 1_700_000_000_000,
  ct: 1_700_000_000_000,
  seq: 3,
  score: 0.4,
  status: 'focused',
};
const msg = (over: Record<string, unknown>) => ({ type: 'samples', items: [item, { ...item, ...over }] });

describe('isSamplesMessage', () => {
  const cases: [string, unknown][] = [
    ['valid', msg({})],
    ['no items', { type: 'samples', items: [] }],
    ['null score', msg({ score: null })],
    ['extra key', msg({ extra: 1 })],
    ['score above 1', msg({ score: 1.2 })],
    ['negative score', msg({ score: -0.1 })],
    ['NaN t', msg({ t: NaN })],
    ['infinite ct', msg({ ct: Infinity })],
    ['fractional seq', msg({ seq: 1.5 })],
    ['string seq', msg({ seq: '1' })],
    ['missing participant', msg({ participantId: undefined })],
    ['unknown status', msg({ status: 'sleepy' })],
    ['offline status', msg({ status: 'offline' })],
    ['item not an object', { type: 'samples', items: [item, 5] }],
    ['items not an array', { type: 'samples', items: {} }],
    ['other type', { type: 'marker', items: [] }],
    ['null', null],
  ];
  it.each(cases)('agrees with the protocol schema: %s', (_name, raw) => {
    const full = ServerToTeacherMessage.safeParse(raw);
    expect(isSamplesMessage(raw)).toBe(full.success && full.data.type === 'samples');
  });
});
