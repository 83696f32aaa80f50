import type { ErrorCode } from '@smartsession/protocol';
import type { z } from 'zod';
import { firstIssue } from '../validation.js';

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

/** 400 `BAD_MESSAGE` naming the first problem zod found in a request part. */
export function invalidInput(error: z.ZodError): ApiError {
  return new ApiError(400, 'BAD_MESSAGE', `Invalid request: ${firstIssue(error)}`);
}

/** Validates a value with a zod schema (a missing one as `{}`); throws {@link invalidInput}. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw invalidInput(r.error);
  return r.data;
}

export const notFound = (what = 'Not found') => new ApiError(404, 'NOT_FOUND', what);
