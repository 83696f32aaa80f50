/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the routes' zod schemas (typed.ts) and served
 * at `GET /api/openapi.json`. It describes routes and shapes only: no secrets, no data.
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROTOCOL_VERSION } from '@smartsession/protocol';
import { type Api, responses } from './typed.js';

/** Where the document is served. */
const OPENAPI_PATH = '/api/openapi.json';

/**
 * Starts collecting routes for the document. Register it before any route: routes declared earlier
 * are missing from it.
 */
export async function collectOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SmartSession HTTP API',
        version: String(PROTOCOL_VERSION),
        description:
          'JSON over HTTP; every error is `{"error":{"code","message"}}` with a 4xx or 5xx status. Teacher ' +
          'routes need the signed `ss_session` cookie set by sign-up or sign-in; a browser request from a ' +
          'foreign Origin is refused with 403. The live socket protocol is in docs/protocol.md.',
      },
      components: {
        securitySchemes: { teacherCookie: { type: 'apiKey', in: 'cookie', name: 'ss_session' } },
      },
    },
    transform: jsonSchemaTransform,
  });
}

/** `GET /api/openapi.json`: public. */
export function openApiRoute(app: Api): void {
  app.get(
    OPENAPI_PATH,
    {
      schema: {
        description: 'This document',
        response: responses({ 200: z.unknown().describe('An OpenAPI 3.1 document') }),
      },
    },
    async () => app.swagger(),
  );
}
