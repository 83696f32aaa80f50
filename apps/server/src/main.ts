/** `npm start`: the server with settings from the environment; stops cleanly on SIGTERM/SIGINT. */
import { ConfigError, loadConfig, type Config } from './ops/config.js';
import { createLogger } from './ops/logging.js';
import { startServer } from './index.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`SmartSession cannot start. ${err.message}\nSee README.md, "Settings".\n`);
  process.exit(2);
}

const log = createLogger(config.LOG_LEVEL);

const server = await startServer({
  port: config.PORT,
  host: config.HOST,
  publicUrl: config.PUBLIC_URL,
  trustProxy: config.TRUST_PROXY,
  dataDir: config.DATA_DIR,
  databaseUrl: config.DATABASE_URL,
  dbThreadNice: config.DB_THREAD_NICE,
  redisUrl: config.REDIS_URL,
  redisStreamName: config.REDIS_STREAM,
  cookieSecret: config.COOKIE_SECRET,
  retentionDays: config.RETENTION_DAYS,
  metricsToken: config.METRICS_TOKEN,
  maxStudentsPerSession: config.MAX_STUDENTS_PER_SESSION,
  analysisWorkers: config.ANALYSIS_WORKERS,
  logger: log,
});
log.info(`SmartSession is serving ${server.publicUrl}`);
if (!config.PUBLIC_URL)
  log.warn(
    'PUBLIC_URL is not set: links use %s, which only this computer can open. Set PUBLIC_URL to the https:// address students use.',
    server.publicUrl,
  );

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
