/** The Origin rule shared by the API (CSRF check) and the teacher socket's handshake. */

/**
 * Whether a browser `Origin` may use the API and the teacher socket: no Origin (curl, the CLI, tests,
 * same-origin GETs) passes; otherwise it must be `PUBLIC_URL`'s origin or the origin the request was
 * addressed to (its `Host`). A foreign page, `null` (sandboxed frames, files) or a malformed value fails.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  publicOrigin: string | undefined,
): boolean {
  if (origin === undefined) return true;
  if (publicOrigin !== undefined && origin === publicOrigin) return true;
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && host !== undefined && o.host === host;
  } catch {
    return false;
  }
}
