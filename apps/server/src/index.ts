/**
 * @packageDocumentation
 * SmartSession server: Fastify (HTTP API, static web app) + Socket.IO (live telemetry) over Drizzle
 * (embedded PGlite or PostgreSQL), optionally several instances joined by Redis streams.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { LIMITS } from '@smartsession/protocol';
import { AnalysisService } from './analysis/service.js';
import { newToken } from './auth/crypto.js';
import { DrizzleRepository } from './db/drizzle-repository.js';
import { openDatabase, type Database } from './db/open.js';
import { authRoutes } from './http/auth.js';
import { ApiError } from './http/errors.js';
import { joinRoutes } from './http/join.js';
import { AttemptLimiter, RateLimitedError, type LimitSettings } from './http/limits.js';
import { checkOrigin, securityHeaders } from './http/security.js';
import { collectOpenApi, openApiRoute } from './http/openapi.js';
import { sessionRoutes } from './http/sessions.js';
import { staticRoutes } from './http/static.js';
import { typedApi } from './http/typed.js';
import { Health, startProbe } from './health.js';
import { Hub } from './live/hub.js';
import { attachRedis, type RedisLink } from './live/redis.js';
import { attachSockets, socketBus, socketTeachers } from './live/sockets.js';
import { measuredParser } from './live/wire.js';
import { AuditLog, auditRoutes } from './ops/audit.js';
import { createLogger, requestLogging } from './ops/logging.js';
export { createLogger } from './ops/logging.js';
import { Metrics } from './ops/metrics.js';
import { opsRoutes } from './ops/routes.js';
import { shutdown } from './ops/shutdown.js';
import { setupReports } from './reports/index.js';
import type { ServerContext } from './context.js';

export type { Repository } from './db/repository.js';
export { DrizzleRepository } from './db/drizzle-repository.js';
export { openDatabase, type Database } from './db/open.js';
export { ConfigError, ENV_VARS, EnvSchema, loadConfig, type Config } from './ops/config.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8000. */
  port?: number;
  /**
   * `PUBLIC_URL`: the origin students and teachers open (e.g. `https://class.school.org`). Every link
   * (join URLs) is built from it, and browser requests from it pass the Origin check. Default
   * `http://localhost:PORT`, which only this computer can open.
   */
  publicUrl?: string;
  /** Fastify `trustProxy` (`TRUST_PROXY`): which hops' X-Forwarded-* headers to believe. Default false. */
  trustProxy?: boolean | number | string;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Overrides of the sign-up, sign-in and join attempt limits (see http/limits.ts). */
  limits?: LimitSettings;
  /** Interface to listen on. Default `0.0.0.0`. */
  host?: string;
  /** Where the embedded database (and nothing else) lives. Default `./data`. */
  dataDir?: string;
  /** `postgres://…`: use PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  /**
   * How far below the event loop the embedded database's thread runs (Linux nice, 0-19; 0: same
   * priority). Default `DB_THREAD_NICE` (10; the reasons are in db/pglite-proxy.ts).
   */
  dbThreadNice?: number;
  /** `redis://…`: join other instances serving the same classes. */
  redisUrl?: string;
  /** Redis stream shared by the instances of one deployment. Default `smartsession`. */
  redisStreamName?: string;
  /** The built web app. Default `apps/web/dist`; a missing folder serves the API only. */
  webDist?: string;
  /** Cookie signing secret. Default: generated once and kept in the database. */
  cookieSecret?: string;
  /** pino level. Default `warn`. */
  logLevel?: string;
  /** A logger to use instead of a new one. */
  logger?: Logger;
  /** Days session data is kept after the session ends (purged at start and nightly). Default 30. */
  retentionDays?: number;
  /** Students one class may have (409 `CLASS_FULL` after that). Default 1000. */
  maxStudentsPerSession?: number;
  /**
   * Threads analysing frames of students whose device cannot (sessions with `serverAnalysis`), started on
   * first use. Default: one less than the CPUs, at least 1; 0 turns analysis on the server off.
   */
  analysisWorkers?: number;
  /**
   * How long `close()` may take in all (default 8 s, inside `docker stop`'s 10 s): steps still waiting
   * then (a silent Redis, a client holding a request open) are forced. See ops/shutdown.ts.
   */
  closeTimeoutMs?: number;
}

/** A running server. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT` (or the host given): where this process listens. */
  url: string;
  /** The address people use (`publicUrl`, else `http://localhost:PORT`). */
  publicUrl: string;
  port: number;
  /** The open database (for operational tasks and fault tests; the server owns it). */
  database: Database;
  /** Stops accepting, disconnects sockets, commits pending writes, closes the database. */
  close(): Promise<void>;
}

const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Starts the whole server and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(options.logLevel ?? 'warn');
  const dataDir = resolve(options.dataDir ?? './data');
  if (!options.databaseUrl) mkdirSync(dataDir, { recursive: true });
  const health = new Health();
  let lastDbError = 0;
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir,
    dbThreadNice: options.dbThreadNice,
    onError: (err) => {
      // A dropped connection: the pool reconnects on the next query; the probe tells whether it can.
      if (Date.now() - lastDbError > 10_000) log.error({ err: err.message }, 'database connection error');
      lastDbError = Date.now();
    },
  });
  if (database.thread) log.info(database.thread, 'embedded database thread (tid, nice)');
  const repo = new DrizzleRepository(database.db);
  const cookieSecret = options.cookieSecret ?? (await repo.setMetaIfAbsent('cookie_secret', newToken()));

  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    // A hop count is supported (proxy-addr) though the typings leave it out.
    trustProxy: (options.trustProxy ?? false) as boolean | string,
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  await collectOpenApi(app);
  const api = typedApi(app);
  await app.register(fastifyCookie, { secret: cookieSecret });
  await securityHeaders(app, publicOrigin);
  const metrics = new Metrics();
  requestLogging(app, (request, route, status) => metrics.httpRequest(request.method, route, status));

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof ApiError) {
      if (err.status === 403 || err.status === 429) metrics.refused('http', err.code);
      if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfter));
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const status =
      typeof (err as { statusCode?: number }).statusCode === 'number'
        ? (err as { statusCode: number }).statusCode
        : 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'TOO_LARGE' : status === 404 ? 'NOT_FOUND' : 'BAD_MESSAGE';
      return reply.code(status).send({ error: { code, message: (err as Error).message } });
    }
    request.log.error({ err }, 'request failed');
    if (!health.ready)
      return reply
        .code(503)
        .send({ error: { code: 'UNAVAILABLE', message: 'A service the server needs is down' } });
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Server error' } });
  });
  // CSRF: API requests from a foreign page are refused before any handler runs.
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) checkOrigin(request, publicOrigin);
  });

  const io = new Server(app.server, {
    serveClient: false,
    // Engine.io refuses a frame over this; the measured parser refuses a packet over it.
    maxHttpBufferSize: LIMITS.maxBatchBytes + 16 * 1024,
    parser: measuredParser(LIMITS.maxBatchBytes + 16 * 1024),
  });
  const redisStreamName = options.redisStreamName ?? 'smartsession';
  let clusterUp = true;
  let clusterChanged = (_ok: boolean): void => {};
  let redis: RedisLink | null = null;
  if (options.redisUrl) {
    health.add('redis');
    redis = await attachRedis(io, options.redisUrl, {
      streamName: redisStreamName,
      log,
      onState: (ok, err) => {
        health.set('redis', ok, err);
        clusterUp = ok;
        clusterChanged(ok);
      },
    });
  }
  const limiter = await AttemptLimiter.create({
    redisUrl: options.redisUrl,
    prefix: redisStreamName,
    log,
    settings: options.limits,
  });
  health.add('database.writable');
  const stopProbe = startProbe(health, 'database.reachable', () => repo.ping());
  const hub = new Hub({
    store: repo,
    teachers: socketTeachers(io, () => clusterUp, metrics),
    bus: redis ? socketBus(io) : null,
    log,
    newId: randomUUID,
    onStorage: (ok, err) => health.set('database.writable', ok, err),
    purge: redis ? (id) => redis!.purge(id) : undefined,
    observeWrite: (rows) => metrics.writeStarted(rows),
  }).start();
  clusterChanged = (ok) => hub.clusterChanged(ok);
  const analysis = new AnalysisService({
    workers: options.analysisWorkers ?? Math.max(1, availableParallelism() - 1),
    log,
    directory: hub,
  });
  let shownUrl = '';
  const ctx: ServerContext = {
    repo,
    hub,
    log,
    metrics,
    analysis,
    audit: new AuditLog(repo),
    limiter,
    publicUrl: () => publicOrigin ?? shownUrl,
    publicOrigin,
    secureCookies: (protocol) => protocol === 'https' || (publicOrigin?.startsWith('https:') ?? false),
  };
  metrics.setLiveSource({
    connections() {
      let students = 0;
      let teachers = 0;
      for (const socket of io.of('/').sockets.values()) {
        const role = (socket.data as { role?: string } | undefined)?.role;
        if (role === 'student') students++;
        else if (role === 'teacher') teachers++;
      }
      return { students, teachers };
    },
    ackBacklog: () => hub.ackBacklog(),
    analysis: () => analysis.stats(),
  });
  const recovered = await hub.recoverAfterCrash();
  if (recovered > 0) log.info({ sessions: recovered }, 'marked students of interrupted sessions offline');

  opsRoutes(api, {
    health,
    metrics,
    database: database.kind,
    redis: redis !== null,
    metricsToken: options.metricsToken,
  });
  authRoutes(api, ctx);
  joinRoutes(api, ctx, options.maxStudentsPerSession);
  sessionRoutes(api, ctx);
  auditRoutes(api, repo);
  setupReports(api, { ...ctx, db: database.db, retentionDays: options.retentionDays });
  openApiRoute(api);
  const hasWeb = await staticRoutes(app, options.webDist ?? defaultWebDist);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const api = path.startsWith('/api/') || path.startsWith('/models/') || path.startsWith('/wasm/');
    if (request.method === 'GET' && !api && hasWeb && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${path}` } });
  });

  attachSockets(io, app, ctx);
  // Every connection, so that a stop can end those that outlive it (see ops/shutdown.ts).
  const connections = new Set<Socket>();
  app.server.on('connection', (c: Socket) => {
    connections.add(c);
    c.once('close', () => connections.delete(c));
  });
  const host = options.host ?? '0.0.0.0';
  try {
    await app.listen({ port: options.port ?? 8000, host });
  } catch (err) {
    stopProbe();
    await hub.close();
    await analysis.close();
    await io.close();
    await redis?.close();
    await limiter.close();
    metrics.close();
    await database.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8000);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  shownUrl = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  log.info(
    { port, database: database.kind, redis: !!redis, publicUrl: ctx.publicUrl() },
    'SmartSession listening',
  );

  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`,
    publicUrl: ctx.publicUrl(),
    port,
    database,
    close() {
      closing ??= (async () => {
        stopProbe();
        io.disconnectSockets(true);
        const total = options.closeTimeoutMs ?? 8000;
        await shutdown(
          [
            // Commits what is pending and sends the last acks (PostgreSQL's query timeout bounds it too).
            { name: 'commit', run: () => hub.close(), maxMs: total * 0.4 },
            { name: 'analysis', run: () => analysis.close(), maxMs: total * 0.05 },
            {
              name: 'connections',
              // io.close()'s own promise settles before the HTTP server has closed: wait for the callback.
              run: () => new Promise<void>((done) => void io.close(() => done())),
              force: () => {
                for (const c of connections) c.destroy();
              },
              maxMs: total * 0.2,
            },
            { name: 'http', run: () => app.close(), maxMs: total * 0.05 },
            { name: 'redis', run: () => redis?.close(), force: () => redis?.destroy(), maxMs: total * 0.05 },
            {
              name: 'limiter',
              run: () => limiter.close(),
              force: () => limiter.destroy(),
              maxMs: total * 0.05,
            },
            { name: 'metrics', run: () => metrics.close() },
            // Last, with the rest of the time: PGlite writes its files on close.
            { name: 'database', run: () => database.close() },
          ],
          total,
          log,
        );
      })();
      return closing;
    },
  };
}
