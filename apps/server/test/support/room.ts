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

/** Deterministic PRNG (mulberry32) for seeded fuzz tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
