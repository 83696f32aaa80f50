import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StudentClientMessage, type SessionSettings } from '@smartsession/protocol';
import { participantRow, rng } from '../../test/support/room.js';
import { telemetry } from '../../test/support/telemetry.js';
import { canonicalCheck } from './canonical.js';
import { admit } from './gate.js';
import { ParticipantLimits } from './limits.js';
import { SessionRoom } from './room.js';

const check = canonicalCheck(StudentClientMessage)!;

/** Messages a student page sends: telemetry with and without a frame, a self-report, a replay batch. */
function seeds(t: number): unknown[] {
  const full = {
    ...telemetry(3, 'confused', { t, reason: { code: 'BROWS_LOWERED', seconds: 4 } }),
    analysis: 'browser',
  };
  full.frame!.quality = { brightness: 0.4, faceSize: 0.3, confidence: 0.9, unreliable: false };
  return [
    telemetry(1, 'focused', { t }),
    full,
    { ...telemetry(2, 'alert', { t, alert: 'NO_PERSON' }), frame: null },
    { type: 'self_report', seq: 4, t, kind: 'lost' },
    {
      type: 'batch',
      from: 5,
      items: [telemetry(5, 'focused', { t }), { type: 'self_report', seq: 7, t, kind: 'resolved' }],
    },
  ];
}

/** Values that sit on, just inside and just outside the schema's bounds, and of other types. */
const ODD: unknown[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  64,
  65,
  180,
  -180,
  180.01,
  -1e-9,
  1 + 1e-9,
  2 ** 53,
  2 ** 53 - 1,
  4_102_444_800_001,
  1e308,
  '',
  'x',
  'OK',
  'focused',
  'CENTER',
  'lost',
  'telemetry',
  true,
  false,
  null,
  [],
  {},
  [1],
  { a: 1 },
];

/** Every path to a value inside `v` (objects and arrays). */
function paths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof v !== 'object' || v === null) return [at];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as Record<string, unknown>)[k], [...at, k]))];
}

/** A copy of `v` with one change at a random path: a value replaced, a key removed or an unknown key added. */
function mutate(v: unknown, r: () => number): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  const all = paths(copy);
  const path = all[Math.floor(r() * all.length)]!;
  if (path.length === 0) return ODD[Math.floor(r() * ODD.length)];
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path.at(-1)!;
  const roll = r();
  if (roll < 0.15) delete parent[key];
  else if (roll < 0.25 && typeof parent === 'object' && !Array.isArray(parent)) parent.extra = 1;
  else if (roll < 0.3 && Array.isArray(parent)) parent.reverse();
  else parent[key] = ODD[Math.floor(r() * ODD.length)];
  return copy;
}

describe('canonicalCheck', () => {
  it('compiles the student messages, and takes what a student page sends as it is', () => {
    expect(check).not.toBeNull();
    for (const m of seeds(Date.now())) {
      expect(check(m)).toBe(true);
      const parsed = StudentClientMessage.safeParse(m);
      expect(parsed.success && isDeepStrictEqual(parsed.data, m)).toBe(true);
    }
  });

  it('is never looser than zod: a message it takes is one zod accepts and returns unchanged (seeded fuzz)', () => {
    const r = rng(15);
    let taken = 0;
    let left = 0;
    for (let i = 0; i < 40_000; i++) {
      const base = seeds(1_700_000_000_000 + i)[i % 5];
      // Up to three changes, so that a value can also leave the schema and come back.
      let m = mutate(base, r);
      for (let k = Math.floor(r() * 3); k > 0; k--) m = mutate(m, r);
      if (!check(m)) {
        left++;
        continue;
      }
      taken++;
      const parsed = StudentClientMessage.safeParse(m);
      if (!parsed.success || !isDeepStrictEqual(parsed.data, m))
        throw new Error(`taken as canonical but zod says otherwise: ${JSON.stringify(m)}`);
    }
    // Both sides were explored: mutations that keep a message valid, and many that do not.
    expect(taken).toBeGreaterThan(800);
    expect(left).toBeGreaterThan(20_000);
  });

  it('leaves to zod what a parse would change or refuse', () => {
    const t = Date.now();
    const m = telemetry(1, 'focused', { t });
    expect(check({ ...m, extra: 1 })).toBe(false); // zod strips it
    expect(check({ ...m, frame: { ...m.frame, file: 'a.jpg' } })).toBe(false); // zod refuses it (strict)
    expect(check({ ...m, since: t + 1 })).toBe(false); // the refinement
    expect(check({ ...m, seq: 1.5 })).toBe(false);
    expect(check({ ...m, analysis: undefined })).toBe(false);
    expect(check(JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(m).slice(1)}`))).toBe(false);
    expect(check(Object.assign(Object.create({ inherited: 1 }), m))).toBe(false);
  });

  it('compiles to null, so that zod decides everything, for a schema with anything it does not know', () => {
    expect(canonicalCheck(z.object({ a: z.string().default('x') }))).toBeNull();
    expect(canonicalCheck(z.object({ a: z.number().transform((n) => n * 2) }))).toBeNull();
    expect(canonicalCheck(z.object({ a: z.email() }))).toBeNull();
    expect(canonicalCheck(z.object({ a: z.number() }).loose())).toBeNull();
    expect(canonicalCheck(z.object({ a: z.date() }))).toBeNull();
    expect(canonicalCheck(z.object({ a: z.number() }))).not.toBeNull();
  });
});

describe('admit', () => {
  const settings: SessionSettings = { mode: 'exam', emotion: 'on', lookAwaySeconds: 4, anonymous: false };
  const gate = (raw: unknown) => {
    const room = new SessionRoom('s1', settings, null, () => 'a1');
    room.load(participantRow('p1', 1));
    room.connect('p1', Date.now(), true);
    const ctx = {
      room,
      participantId: 'p1',
      limits: new ParticipantLimits(),
      bytes: 600,
      storageFull: false,
      now: Date.now(),
    };
    return admit(raw, ctx);
  };

  it('takes a canonical message without copying it, and parses any other with zod', () => {
    const m = telemetry(1, 'focused');
    const taken = gate(m);
    expect(taken.ok && taken.msg).toBe(m);
    const extra = { ...telemetry(1, 'focused'), extra: 1 };
    const stripped = gate(extra);
    expect(stripped.ok && stripped.msg).not.toBe(extra);
    expect(stripped.ok && stripped.msg).not.toHaveProperty('extra');
    const bad = gate({ ...telemetry(1, 'focused'), seq: 0 });
    expect(bad).toMatchObject({ ok: false, code: 'BAD_MESSAGE' });
    expect(!bad.ok && bad.message).toMatch(/^Invalid message: seq/);
  });
});
