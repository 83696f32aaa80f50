/**
 * The one fetch helper of the web app (teacher and student pages): JSON in and out, errors as {@link ApiError}
 * with the server's code.
 */
import { ErrorInfo } from '@smartsession/protocol';
import { navigate, signInPath } from '../router.js';

/** An HTTP API error: the server's `{error:{code,message}}`, or a network/parse failure (`code` NETWORK/BAD_RESPONSE). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Anything with a zod-like `parse`, so responses can be checked against protocol schemas. */
interface Parser<T> {
  parse(data: unknown): T;
}

/** Options of {@link api}. */
export interface ApiOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Validates the response body; without it the body is returned unchecked as `unknown`. */
  schema?: Parser<T>;
  signal?: AbortSignal;
}

/**
 * Calls the API with the signed-in cookie. Resolves to the parsed body (or `undefined` for 204);
 * rejects with {@link ApiError}.
 */
export async function api<T = unknown>(path: string, opts: ApiOptions<T> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers: opts.body === undefined ? {} : { 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check the connection and try again.');
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(
        res.status,
        'BAD_RESPONSE',
        `Unexpected answer from the server (HTTP ${res.status}).`,
      );
    }
  }
  if (!res.ok) {
    const info = ErrorInfo.safeParse((data as { error?: unknown } | undefined)?.error);
    if (info.success) throw new ApiError(res.status, info.data.code, info.data.message);
    throw new ApiError(res.status, 'HTTP_' + res.status, `Request failed (HTTP ${res.status}).`);
  }
  if (!opts.schema) return data as T;
  try {
    return opts.schema.parse(data);
  } catch {
    throw new ApiError(
      res.status,
      'BAD_RESPONSE',
      'The server sent an answer this page does not understand.',
    );
  }
}

/** A readable message for any error thrown by {@link api} or elsewhere. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * The `catch` of a teacher page's first load: an aborted load (the page went away) is ignored, a signed-out
 * teacher goes to the sign-in page, which comes back here afterwards; anything else is shown with `show`.
 */
export function onLoadError(signal: AbortSignal, show: (message: string) => void): (e: unknown) => void {
  return (e) => {
    if (signal.aborted) return;
    if (e instanceof ApiError && e.status === 401)
      navigate(signInPath(window.location.pathname + window.location.search), true);
    else show(errorMessage(e));
  };
}
