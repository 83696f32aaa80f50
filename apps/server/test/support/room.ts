import type { ParticipantRow } from '../../src/db/repository.js';

/** A stored participant row as the database would return it. */
export function participantRow(id: string, number: number, lastSeq = 0): ParticipantRow {
  return {
    id,
    sessionId: 's1',
    name: `Name ${number}`,
    number,
    tokenHash: `h${id}`,
    accommodations: {},
    createdAt: 0,
    lastSeq,
    status: 'offline',
    alert: null,
    reason: null,
    statusSince: 0,
    connected: false,
    lastSeenAt: null,
    lostSince: null,
    clockOffset: null,
  };
}

export { rng } from '../../../../test/support/random.js';
