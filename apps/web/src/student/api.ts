/** HTTP calls of the student page: look up a join code, join with a name. */
import { JoinInfo, JoinResponse, type ErrorInfo } from '@smartsession/protocol';
import { z } from 'zod';

/** An HTTP call that failed, with the server's error code when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorInfo['code'] | 'NETWORK',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function call<T>(url: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  } catch {
    throw new ApiError('NETWORK', 'Cannot reach the server. Check your connection and try again.', 0);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).safeParse(body);
    const code = (err.success ? err.data.error.code : 'INTERNAL') as ErrorInfo['code'];
    throw new ApiError(
      code,
      err.success ? err.data.error.message : `Server answered ${res.status}`,
      res.status,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError('INTERNAL', 'The server sent an answer this page does not understand.', res.status);
  return parsed.data;
}

/** `GET /api/join/:code`: the session's title and settings (404 `NOT_FOUND` for an unknown code). */
export function fetchJoinInfo(code: string): Promise<JoinInfo> {
  return call(`/api/join/${encodeURIComponent(code)}`, JoinInfo);
}

/** `POST /api/join`: joins with a display name and returns the participant token. */
export function joinSession(code: string, name: string): Promise<JoinResponse> {
  return call('/api/join', JoinResponse, { method: 'POST', body: JSON.stringify({ code, name }) });
}
