import type { ErrorCode } from '@smartsession/protocol';
import type { z } from 'zod';

/** An error with an HTTP status and a typed code, answered as `{"error":{"code","message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Validates a body (or query) with a zod schema; 400 `BAD_MESSAGE` naming the first problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'BAD_MESSAGE', `Invalid request: ${where}${issue?.message ?? 'bad input'}`);
  }
  return r.data;
}

export const notFound = (what = 'Not found') => new ApiError(404, 'NOT_FOUND', what);
