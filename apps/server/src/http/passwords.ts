/**
 * The password rule (NIST SP 800-63B style: length and a block list, no composition rules): at least 8
 * characters besides surrounding spaces, at least 5 different ones, not one of the ~50,000 most common
 * passwords (the zxcvbn-ts list shipped in `@zxcvbn-ts/language-common`), also not one of them with digits
 * or symbols added at the end (`password123!`), and not the account's own e-mail or name.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiError } from './errors.js';

let common: Set<string> | null = null;
const commonPasswords = () => (common ??= new Set(dictionary['passwords-common']));

/** Why a password is refused, or null when it is acceptable. */
function passwordProblem(password: string, context: { email: string; name: string }): string | null {
  const p = password.trim();
  if ([...p].length < 8) return 'use at least 8 characters (spaces around it do not count)';
  if (new Set(p.toLowerCase()).size < 5) return 'use more different characters';
  const lower = p.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  if (commonPasswords().has(lower) || (stem.length >= 4 && commonPasswords().has(stem)))
    return 'this is one of the most common passwords; a short phrase of your own is better';
  const local = context.email.toLowerCase().split('@')[0] ?? '';
  if (lower === context.email.toLowerCase() || lower === local) return 'do not use your e-mail address';
  if (context.name.length >= 4 && lower === context.name.toLowerCase()) return 'do not use your name';
  return null;
}

/** Throws 400 `BAD_MESSAGE` naming the problem when the password is refused. */
export function checkPassword(password: string, context: { email: string; name: string }): void {
  const problem = passwordProblem(password, context);
  if (problem) throw new ApiError(400, 'BAD_MESSAGE', `Invalid request: password: ${problem}`);
}
