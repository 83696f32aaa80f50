/** `npm start`: the server with settings from the environment; stops cleanly on SIGTERM/SIGINT. */
import { pino } from 'pino';
import { startServer } from './index.js';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });

const server = await startServer({
  port: Number(process.env.PORT ?? 8000),
  host: process.env.HOST,
  dataDir: process.env.DATA_DIR ?? './data',
  databaseUrl: process.env.DATABASE_URL || undefined,
  redisUrl: process.env.REDIS_URL || undefined,
  cookieSecret: process.env.COOKIE_SECRET || undefined,
  retentionDays: process.env.RETENTION_DAYS ? Number(process.env.RETENTION_DAYS) : undefined,
  maxStudentsPerSession: process.env.MAX_STUDENTS_PER_SESSION
    ? Number(process.env.MAX_STUDENTS_PER_SESSION)
    : undefined,
  logger: log,
});
log.info(`SmartSession is serving ${server.url.replace('127.0.0.1', 'localhost')}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  });
}
