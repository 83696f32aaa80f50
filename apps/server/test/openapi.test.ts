/**
 * [issue 13] Typed edges of the HTTP API on a real server (PGlite): the OpenAPI document generated from
 * the routes' zod schemas lists every route with its parameters, bodies and answers; and declaring the
 * schemas on the routes kept every error's status, code, message and order (401 and 404 before 400).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';
import { Http } from './support/client.js';

/** Every route the server answers (besides the web app and its static files), as the docs list them. */
const ROUTES = [
  'post /api/auth/signup',
  'post /api/auth/login',
  'post /api/auth/logout',
  'get /api/me',
  'get /api/join/{code}',
  'post /api/join',
  'get /api/sessions',
  'post /api/sessions',
  'get /api/sessions/{id}',
  'patch /api/sessions/{id}',
  'delete /api/sessions/{id}',
  'post /api/sessions/{id}/end',
  'patch /api/sessions/{id}/participants/{pid}',
  'delete /api/sessions/{id}/participants/{pid}',
  'get /api/sessions/{id}/participants/{pid}/export',
  'post /api/sessions/{id}/markers',
  'post /api/sessions/{id}/alerts/{alertId}/ack',
  'get /api/sessions/{id}/timeline',
  'get /api/sessions/{id}/report',
  'get /api/sessions/{id}/report.csv',
  'get /api/audit',
  'get /api/openapi.json',
  'get /livez',
  'get /readyz',
  'get /healthz',
  'get /metrics',
];
/** Routes whose request has a JSON body. */
const WITH_BODY = [
  'post /api/auth/signup',
  'post /api/auth/login',
  'post /api/join',
  'post /api/sessions',
  'patch /api/sessions/{id}',
  'patch /api/sessions/{id}/participants/{pid}',
  'post /api/sessions/{id}/markers',
];

interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: object }>;
  requestBody?: { content: Record<string, { schema: { type?: string; properties?: object } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

const COOKIE_SECRET = 'cookie-secret-that-must-never-be-published';
let dir: string;
let server: RunningServer;
let doc: Document;
let raw: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ss-openapi-'));
  server = await startServer({
    port: 0,
    dataDir: dir,
    webDist: '/nonexistent',
    cookieSecret: COOKIE_SECRET,
    metricsToken: 'metrics-token-never-published',
  });
  // Public: no cookie, no token.
  const res = await fetch(`${server.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  raw = await res.text();
  doc = JSON.parse(raw) as Document;
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('[issue 13] GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every route, and nothing else', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('SmartSession HTTP API');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect([...listed].sort()).toEqual([...ROUTES].sort());
  });

  it('every route declares its parameters, body and answers with schemas', () => {
    for (const route of ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const op = doc.paths[path]![method]!;
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(
        (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        route,
      ).toEqual(params);
      if (WITH_BODY.includes(route)) {
        const schema = op.requestBody?.content['application/json']?.schema;
        expect(schema?.type, route).toBe('object');
        expect(Object.keys(schema?.properties ?? {}).length, route).toBeGreaterThan(0);
      } else expect(op.requestBody, route).toBeUndefined();
      const ok = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      expect(ok.length, route).toBe(1);
      if (ok[0] !== '204') expect(Object.values(op.responses[ok[0]!]!.content ?? {}).length, route).toBe(1);
      if (route !== 'get /livez') {
        const err = op.responses['4XX'] ?? op.responses['4xx'];
        expect(JSON.stringify(err?.content?.['application/json']?.schema), route).toMatch(
          /"error".*"code".*"message"/,
        );
      }
    }
    const timeline = doc.paths['/api/sessions/{id}/timeline']!.get!;
    expect((timeline.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)).toEqual([
      'participantId',
      'since',
    ]);
    const create = doc.paths['/api/sessions']!.post!;
    expect(JSON.stringify(create.requestBody)).toMatch(/"mode".*"enum":\["support","exam"\]/);
    expect(Object.keys(doc.paths['/api/sessions/{id}/report.csv']!.get!.responses['200']!.content!)).toEqual([
      'text/csv',
    ]);
  });

  it('carries no secrets', () => {
    expect(raw).not.toContain(COOKIE_SECRET);
    expect(raw).not.toContain('metrics-token-never-published');
  });
});

describe('[issue 13] errors keep their status, code, message and order with schemas on the routes', () => {
  it('sign-in is checked before the body (401), ownership before the body (404), then the body (400)', async () => {
    const nobody = new Http(server.url);
    const r1 = await nobody.post<{ error: { code: string } }>('/api/sessions', { title: '' });
    expect(r1.status).toBe(401);
    expect(r1.body.error.code).toBe('UNAUTHORIZED');

    const a = new Http(server.url);
    const b = new Http(server.url);
    for (const [h, email] of [
      [a, 'a@openapi.test'],
      [b, 'b@openapi.test'],
    ] as const)
      expect(
        (await h.post('/api/auth/signup', { email, password: 'a lesson on fractions', name: 'T' })).status,
      ).toBe(201);
    const s = await a.post<{ id: string }>('/api/sessions', { title: 'Typed' });
    const other = await b.patch<{ error: { code: string } }>(`/api/sessions/${s.body.id}`, { mode: 'nope' });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: { code: 'NOT_FOUND', message: 'No such session' } });

    const bad = await a.patch(`/api/sessions/${s.body.id}`, { mode: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: {
        code: 'BAD_MESSAGE',
        message: 'Invalid request: mode: Invalid option: expected one of "support"|"exam"',
      },
    });
    // A missing body is checked as {}.
    const empty = await a.req('POST', '/api/sessions');
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({
      error: {
        code: 'BAD_MESSAGE',
        message: 'Invalid request: title: Invalid input: expected string, received undefined',
      },
    });
    // The query of the CSV report is checked first (400), sign-in after it.
    const csv = await nobody.get(`/api/sessions/${s.body.id}/report.csv?table=secrets`);
    expect(csv.status).toBe(400);
    expect((await nobody.get(`/api/sessions/${s.body.id}/report.csv`)).status).toBe(401);
    // Deleting answers 204 with no body.
    const del = await a.del(`/api/sessions/${s.body.id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeNull();
  });
});
