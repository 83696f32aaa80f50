/**
 * `smartsession demo`: starts the server, signs up a demo teacher, opens a class and joins simulated
 * students, then prints the URL and the credentials so a newcomer sees a living dashboard at once.
 */
import { parseArgs } from 'node:util';

const EMAIL = 'demo@smartsession.local';
const PASSWORD = 'demo-teacher';

const HELP = `Usage: smartsession demo [--port 8000] [--students 24] [--data ./data]

Starts SmartSession with a demo teacher (${EMAIL} / ${PASSWORD}) and a class of simulated students.
`;

async function api(base: string, path: string, body: unknown, cookie?: string) {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const set = res.headers.get('set-cookie');
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    cookie: set?.split(';')[0],
  };
}

/** CLI entry: runs until Ctrl-C; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: process.env.PORT ?? '8000' },
        students: { type: 'string', default: '24' },
        data: { type: 'string', default: process.env.DATA_DIR ?? './data' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`smartsession demo: ${(err as Error).message}\n\n${HELP}`);
    return 1;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Loaded here, not at the top: only `demo` needs the server (Fastify, PGlite, pg, Redis) and the
  // Socket.IO client; `smartsession analyze` must not load them.
  const { startServer } = await import('@smartsession/server');
  const { simulateClass } = await import('./simulate.js');
  const server = await startServer({
    port: Number(values.port),
    dataDir: values.data,
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    logLevel: process.env.LOG_LEVEL ?? 'warn',
  });
  const base = server.url.replace('127.0.0.1', 'localhost');
  let auth = await api(base, '/api/auth/signup', { email: EMAIL, password: PASSWORD, name: 'Demo Teacher' });
  if (auth.status === 409) auth = await api(base, '/api/auth/login', { email: EMAIL, password: PASSWORD });
  if (!auth.cookie) {
    process.stderr.write(
      `smartsession demo: could not sign in the demo teacher: ${JSON.stringify(auth.body)}\n`,
    );
    await server.close();
    return 1;
  }
  const session = await api(
    base,
    '/api/sessions',
    { title: `Demo class ${new Date().toLocaleTimeString()}` },
    auth.cookie,
  );
  const id = String(session.body.id);
  const code = String(session.body.joinCode);
  // The server's link (built from PUBLIC_URL when set), not one made up here.
  const joinUrl = String(session.body.joinUrl);
  const sim = await simulateClass({ url: base, code, students: Number(values.students), rateHz: 4 });
  process.stdout.write(
    [
      '',
      `SmartSession demo is running at ${base}`,
      `  sign in:   ${EMAIL} / ${PASSWORD}`,
      `  dashboard: ${base}/teacher/sessions/${id}  (opened signed out, it asks to sign in, then opens)`,
      `  join code: ${code}  (students type it at ${base}/, or open ${joinUrl})`,
      `  ${values.students} simulated students are sending telemetry. Ctrl-C to stop.`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.stop();
  await server.close();
  return 0;
}
