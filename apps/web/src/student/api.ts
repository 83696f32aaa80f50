/** HTTP calls of the student page: look up a join code, join with a name (through the app's {@link api}). */
import { JoinInfo, JoinResponse } from '@smartsession/protocol';
import { api } from '../shared/api.js';

export { ApiError } from '../shared/api.js';

/** `GET /api/join/:code`: the session's title and settings (404 `NOT_FOUND` for an unknown code). */
export function fetchJoinInfo(code: string): Promise<JoinInfo> {
  return api(`/api/join/${encodeURIComponent(code)}`, { schema: JoinInfo });
}

/** `POST /api/join`: joins with a display name and returns the participant token. */
export function joinSession(code: string, name: string): Promise<JoinResponse> {
  return api('/api/join', { method: 'POST', body: { code, name }, schema: JoinResponse });
}
