/**
 * Request logging with secrets kept out: one line per answered request (method, path, status, time,
 * client address), query values of secret-looking parameters replaced, and pino's redaction of any
 * cookie, authorization header, password or token that a log call might carry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';

/** pino `redact` paths: whatever is logged, these never reach the log. */
const LOG_REDACT = {
  paths: [
    'req.headers.cookie',
    'req.headers.authorization',
    'res.headers["set-cookie"]',
    'headers.cookie',
    'headers.authorization',
    'cookie',
    'authorization',
    'password',
    'token',
    'cookieSecret',
    '*.cookie',
    '*.authorization',
    '*.password',
    '*.token',
    '*.cookieSecret',
  ],
  censor: '[REDACTED]',
};

/** The server's logger: pino at `level` with {@link LOG_REDACT}, to stdout or `stream`. */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  return stream ? pino({ level, redact: LOG_REDACT }, stream) : pino({ level, redact: LOG_REDACT });
}

const SECRET_PARAM = /token|password|secret|key|auth|code|session/i;

/** The URL with the values of secret-looking query parameters replaced. */
function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const k of [...params.keys()]) if (SECRET_PARAM.test(k)) params.set(k, '[REDACTED]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/** Paths scraped or probed every few seconds: logged at debug only. */
const QUIET = new Set(['/metrics', '/healthz', '/livez', '/readyz']);

/**
 * Logs each answered request at info (`request`), with `reqId` on every line of its handling. The join
 * code in `/join/:code` and `/api/join/:code` is a class's key, so it is cut to its first two characters.
 */
export function requestLogging(
  app: FastifyInstance,
  onAnswered: (request: FastifyRequest, route: string, status: number) => void,
): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    onAnswered(request, route, reply.statusCode);
    const path = redactUrl(request.url).replace(/^((?:\/api)?\/join\/[^/?]{2})[^/?]*/, '$1…');
    const line = {
      method: request.method,
      url: path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ip: request.ip,
    };
    if (QUIET.has(path)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });
}
