import { z } from 'zod';
import { LIMITS } from './messages.js';
import { SessionMode, SessionSettings } from './status.js';

/**
 * Characters a name or title may not contain: control characters (C0, DEL, C1), line and paragraph
 * separators, the byte-order mark, and bidirectional controls (LRM/RLM/ALM, embeddings, overrides and
 * isolates), which can make a name display as something else (`Ann\u202Eeldnah` shows as `Annhandle`).
 * Joiners (U+200C/U+200D) stay allowed: Persian, Indic scripts and emoji need them.
 */
export const FORBIDDEN_TEXT = /[\p{Cc}\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;

/**
 * A name or title people read: NFC-normalised and trimmed, `min`..`max` characters after that, without
 * {@link FORBIDDEN_TEXT}.
 */
export const displayText = (min: number, max: number) =>
  z
    .string()
    .transform((v) => v.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min)
        .max(max)
        .refine((v) => !FORBIDDEN_TEXT.test(v), {
          error: 'must not contain control or text-direction characters',
        }),
    );

/** `POST /api/auth/signup` body. */
export const SignupBody = z.object({
  email: z.email().max(200),
  password: z.string().min(8).max(200),
  name: displayText(1, 100),
});
/** Signup body. */
export type SignupBody = z.infer<typeof SignupBody>;

/** `POST /api/auth/login` body. */
export const LoginBody = z.object({ email: z.string().max(200), password: z.string().max(200) });
/** Login body. */
export type LoginBody = z.infer<typeof LoginBody>;

/** `GET /api/me` response. */
export const Teacher = z.object({ id: z.string(), email: z.string(), name: z.string() });
/** Teacher. */
export type Teacher = z.infer<typeof Teacher>;

/** `POST /api/sessions` body. */
export const CreateSessionBody = z.object({
  title: displayText(1, 200),
  mode: SessionMode.optional(),
  emotion: z.enum(['on', 'off']).optional(),
  lookAwaySeconds: z.number().min(1).max(120).optional(),
  anonymous: z.boolean().optional(),
  /** Allow server analysis for devices that cannot analyse in the browser (default false). */
  serverAnalysis: z.boolean().optional(),
});
/** Create-session body. */
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

/** A class session as the teacher sees it. Times are ms since the epoch. */
export const SessionInfo = z.object({
  id: z.string(),
  title: z.string(),
  joinCode: z.string(),
  joinUrl: z.string(),
  settings: SessionSettings,
  createdAt: z.number(),
  endedAt: z.number().nullable(),
  participantCount: z.number().int().optional(),
});
/** Session info. */
export type SessionInfo = z.infer<typeof SessionInfo>;

/** `POST /api/join` body: a join code (case and separators ignored) and a display name. */
export const JoinBody = z.object({
  code: z.string().trim().min(4).max(20),
  name: displayText(1, LIMITS.maxNameLength),
});
/** Join body. */
export type JoinBody = z.infer<typeof JoinBody>;

/** `POST /api/join` response: the participant token to present in the socket handshake. */
export const JoinResponse = z.object({
  token: z.string(),
  participantId: z.string(),
  sessionId: z.string(),
  title: z.string(),
  settings: SessionSettings,
});
/** Join response. */
export type JoinResponse = z.infer<typeof JoinResponse>;
