/**
 * Who a teacher is, for both shells: the HTTP routes read the signed cookie of a request, the socket
 * handshake the same cookie from its upgrade request. Neither shell imports the other; both import this.
 */
import type { Repository, TeacherRow } from '../db/repository.js';
import { hashToken } from './crypto.js';

/** Name of the signed, httpOnly cookie that holds a teacher's sign-in token. */
export const SESSION_COOKIE = 'ss_session';

/** The teacher signed in by the (unsigned) cookie token, or null. */
export async function teacherFromToken(
  repo: Repository,
  token: string | null | undefined,
): Promise<TeacherRow | null> {
  if (!token) return null;
  return repo.findAuthSessionTeacher(hashToken(token), Date.now());
}

/**
 * The sign-in token of a request's cookies: the value of {@link SESSION_COOKIE} when its signature is
 * valid, else null. `unsign` is the cookie plugin's check.
 */
export function cookieToken(
  cookies: Record<string, string | undefined>,
  unsign: (raw: string) => { valid: boolean; value: string | null },
): string | null {
  const raw = cookies[SESSION_COOKIE];
  if (!raw) return null;
  const r = unsign(raw);
  return r.valid ? r.value : null;
}
