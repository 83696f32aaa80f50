/**
 * Routes declared with their zod schemas (params, querystring, body, response): Fastify checks the
 * input with them before the handler runs, the handler's `request` and return value are typed from
 * them (fastify-type-provider-zod), and the OpenAPI document is generated from them (openapi.ts).
 *
 * Checks that must answer before the input is looked at (sign-in: 401 before 400; a session that is
 * not yours: 404 before 400) are {@link guard}s in the route's `preValidation` hook; a guard in
 * `preHandler` runs after the input checks.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  FastifySchemaCompiler,
  FastifySerializerCompiler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiErrorBody } from '@smartsession/protocol';
import { invalidInput } from './errors.js';

/** The Fastify app whose routes are typed by their zod schemas. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Checks a request part with its zod schema; a failure is 400 `BAD_MESSAGE` naming the first problem
 * (the same answer as every other API error). A missing body is checked as `{}`.
 */
const zodValidator: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const r = schema.safeParse(data ?? {});
    return r.success ? { value: r.data } : { error: invalidInput(r.error) };
  };

/**
 * Answers are written with `JSON.stringify`, as for routes without a schema: the response schemas type
 * the handlers at compile time and document the API; they do not filter or re-check answers at run time.
 */
const jsonSerializer: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

/** Sets the zod input checks and the JSON writer, and returns the app typed by route schemas. */
export function typedApi(app: FastifyInstance): Api {
  app.setValidatorCompiler(zodValidator);
  app.setSerializerCompiler(jsonSerializer);
  return app.withTypeProvider<ZodTypeProvider>();
}

/** A route's answers by status, plus the error body every API route may answer with. */
export const responses = <R extends Record<number, z.ZodType>>(r: R) =>
  ({ ...r, '4xx': ApiErrorBody, '5xx': ApiErrorBody }) as const;

/** A check run as a route hook whose finding the handler reads with `of(request)`. */
export interface Guard<T extends object> {
  /** Put it in a route's `preValidation` (before the input checks) or `preHandler` (after them). */
  hook(request: FastifyRequest): Promise<void>;
  /** What the hook found for this request (a route that lacks the hook is a programming error). */
  of(request: object): T;
}

/** Wraps a check that throws an `ApiError` (401, 404…) or returns what it found. */
export function guard<T extends object>(check: (request: FastifyRequest) => Promise<T>): Guard<T> {
  const found = new WeakMap<object, T>();
  return {
    async hook(request) {
      found.set(request, await check(request));
    },
    of(request) {
      const value = found.get(request);
      if (value === undefined) throw new Error('guard read on a route without its hook');
      return value;
    },
  };
}

/** `:id`: a session. */
export const SessionParams = z.object({ id: z.string().describe('Session id') });
