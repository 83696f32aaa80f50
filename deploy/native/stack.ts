/**
 * The deployment kit's topology, natively on one machine (no containers): Caddy (Debian's `caddy`, its
 * internal CA, the same deploy/Caddyfile) terminating HTTPS in front of two SmartSession instances
 * (`apps/server/dist/main.js`, configured by environment like the containers) on a PostgreSQL server and
 * Redis. The browser test of the kit uses {@link startHttpsStack}; run it by hand with
 *   npm run stack:https        (DATABASE_URL / REDIS_URL or TEST_DATABASE_URL / TEST_REDIS_URL)
 * Besides the balanced site (`PUBLIC_URL`, https://localhost:PORT) each instance is also reachable
 * on its own name (https://a.localhost:PORT, https://b.localhost:PORT) so a test can put a student on
 * one instance and the teacher on the other. Caddy's data (its CA) lives in a temporary folder and is
 * never installed into the system's trust store; browsers are told to trust it with the SPKI hashes of
 * its root and intermediate certificates (`--ignore-certificate-errors-spki-list`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mainJs = join(root, 'apps/server/dist/main.js');
const caddyfile = join(root, 'deploy/Caddyfile');

export interface HttpsStack {
  /** `PUBLIC_URL`: the balanced HTTPS site (both instances). */
  url: string;
  /** Each instance through Caddy on its own host name (HTTPS). */
  pinned: { a: string; b: string };
  /** Each instance directly (plain HTTP on loopback, what Caddy dials). */
  direct: { a: string; b: string };
  /** Caddy's root certificate (PEM), to trust in clients. */
  rootCert: string;
  /** base64 SHA-256 of the SPKI of Caddy's root and intermediate certificates (Chromium's flag). */
  spki: string[];
  /** Everything the processes printed, for a failing test's message. */
  logs(): string;
  close(): Promise<void>;
}

/** A TCP port free right now on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, logs = () => '') {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms\n${logs()}`);
}

/** GET over HTTPS trusting only `ca`; resolves with the status. */
export function httpsGet(url: string, ca: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = httpsRequest(url, { ca, headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const spkiHash = (pem: string) =>
  createHash('sha256')
    .update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');

/** Starts Caddy and two instances; resolves once the HTTPS site answers `/healthz`. */
export async function startHttpsStack(opts: {
  databaseUrl: string;
  redisUrl: string;
  /** Redis stream (and key prefix) of this deployment. Default: a random one. */
  redisStream?: string;
  /** HTTPS port. Default: a free one. */
  port?: number;
  logLevel?: string;
}): Promise<HttpsStack> {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run \`node scripts/build.mjs\``);
  const dir = mkdtempSync(join(tmpdir(), 'ss-https-'));
  const port = opts.port ?? (await freePort());
  const [pa, pb] = [await freePort(), await freePort()];
  const url = `https://localhost:${port}`;
  const children: ChildProcess[] = [];
  let output = '';
  const capture = (name: string, child: ChildProcess) => {
    children.push(child);
    child.stdout?.on('data', (d: Buffer) => (output += `[${name}] ${d.toString()}`));
    child.stderr?.on('data', (d: Buffer) => (output += `[${name}] ${d.toString()}`));
  };
  const logs = () => output.slice(-8000);
  const close = async () => {
    for (const c of children.reverse()) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const appEnv = {
      ...process.env,
      PUBLIC_URL: url,
      TRUST_PROXY: 'loopback',
      HOST: '127.0.0.1',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      REDIS_STREAM: opts.redisStream ?? `ss-stack-${randomBytes(6).toString('hex')}`,
      COOKIE_SECRET: randomBytes(32).toString('base64'),
      DATA_DIR: join(dir, 'unused'),
      LOG_LEVEL: opts.logLevel ?? 'warn',
    };
    // One after the other: both would run the migrations at once.
    for (const [name, p] of [
      ['app-a', pa],
      ['app-b', pb],
    ] as const) {
      capture(name, spawn(process.execPath, [mainJs], { env: { ...appEnv, PORT: String(p) }, cwd: root }));
      await waitFor(name, async () => (await fetch(`http://127.0.0.1:${p}/healthz`)).ok, 60_000, logs);
    }

    // The kit's Caddyfile, plus one site per instance for tests.
    const wrapper = join(dir, 'Caddyfile');
    writeFileSync(
      wrapper,
      [
        `import ${caddyfile}`,
        `https://a.localhost:${port} {\n\treverse_proxy 127.0.0.1:${pa}\n}`,
        `https://b.localhost:${port} {\n\treverse_proxy 127.0.0.1:${pb}\n}`,
        '',
      ].join('\n\n'),
    );
    capture(
      'caddy',
      spawn('caddy', ['run', '--config', wrapper, '--adapter', 'caddyfile'], {
        cwd: dir,
        env: {
          ...process.env,
          HOME: dir,
          XDG_DATA_HOME: join(dir, 'data'),
          XDG_CONFIG_HOME: join(dir, 'config'),
          SITE_ADDRESS: url,
          APP_UPSTREAMS: `127.0.0.1:${pa} 127.0.0.1:${pb}`,
          CADDY_LOCAL_CERTS: 'local_certs',
          // No port 80 (redirects), and never into the system's trust store.
          CADDY_GLOBAL: 'auto_https disable_redirects\n\tskip_install_trust',
        },
      }),
    );
    const pki = join(dir, 'data/caddy/pki/authorities/local');
    await waitFor('Caddy CA', async () => existsSync(join(pki, 'intermediate.crt')), 30_000, logs);
    const rootCert = readFileSync(join(pki, 'root.crt'), 'utf8');
    const spki = [rootCert, readFileSync(join(pki, 'intermediate.crt'), 'utf8')].map(spkiHash);
    await waitFor(
      'Caddy HTTPS',
      async () => (await httpsGet(`${url}/healthz`, rootCert)).status === 200,
      30_000,
      logs,
    );
    return {
      url,
      pinned: { a: `https://a.localhost:${port}`, b: `https://b.localhost:${port}` },
      direct: { a: `http://127.0.0.1:${pa}`, b: `http://127.0.0.1:${pb}` },
      rootCert,
      spki,
      logs,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

// `npm run stack:https`: start, print, run until Ctrl-C.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const databaseUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    console.error('Set DATABASE_URL and REDIS_URL (or TEST_DATABASE_URL and TEST_REDIS_URL).');
    process.exit(2);
  }
  const stack = await startHttpsStack({
    databaseUrl,
    redisUrl,
    port: process.env.HTTPS_PORT ? Number(process.env.HTTPS_PORT) : undefined,
    logLevel: 'info',
  });
  console.log(`SmartSession over HTTPS: ${stack.url}  (instance A ${stack.pinned.a}, B ${stack.pinned.b})`);
  console.log(`Chromium: --ignore-certificate-errors-spki-list=${stack.spki.join(',')}`);
  console.log('Ctrl-C stops Caddy and both instances.');
  process.on('SIGINT', () => void stack.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stack.close().then(() => process.exit(0)));
}
