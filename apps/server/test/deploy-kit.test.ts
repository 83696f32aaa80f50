/**
 * Issue 12: the deployment kit (deploy/Dockerfile, deploy/compose.yaml, deploy/Caddyfile,
 * deploy/.env.example) stays in step with the server's configuration schema and with itself: no image
 * can be built here, so these files are parsed and checked instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ENV_VARS, loadConfig } from '../src/ops/config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (p: string) => readFileSync(join(root, p), 'utf8');

/** The values deploy/.env.example gives. */
const example = Object.fromEntries(
  read('deploy/.env.example')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

/** Compose interpolation: `${X}`, `${X:-default}`, `${X:?error}` with .env.example's values. */
const interpolate = (v: string) =>
  v.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const value = example[name];
    if (op === '?') expect(value, `${name} must be in deploy/.env.example`).toBeTruthy();
    return value || (op === '-' ? (arg ?? '') : '');
  });

const Service = z.object({
  image: z.string().optional(),
  build: z.object({ context: z.string(), dockerfile: z.string() }).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  ports: z.array(z.string()).optional(),
  expose: z.array(z.string()).optional(),
  depends_on: z.unknown().optional(),
  healthcheck: z.object({ test: z.union([z.string(), z.array(z.string())]) }).optional(),
  volumes: z.array(z.string()).optional(),
  user: z.string().optional(),
});
const Compose = z.object({
  services: z.record(z.string(), Service.passthrough()),
  volumes: z.record(z.string(), z.unknown()).optional(),
});

describe('deployment kit', () => {
  const compose = Compose.parse(parseYaml(read('deploy/compose.yaml'), { merge: true }));
  const dockerfile = read('deploy/Dockerfile');
  const apps = ['app-a', 'app-b'].map((n) => compose.services[n]!);

  it('compose: two app instances, PostgreSQL, Redis and Caddy publishing 443; dependencies wait for health', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app-a', 'app-b', 'caddy', 'postgres', 'redis']);
    for (const app of apps) {
      expect(app.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
      expect(app.ports, 'apps are reached through Caddy only').toBeUndefined();
      expect(app.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(compose.services.caddy!.ports).toContain('443:443');
    expect(compose.services.caddy!.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(compose.services.postgres!.healthcheck).toBeDefined();
    expect(compose.services.redis!.healthcheck).toBeDefined();
    expect(existsSync(join(root, 'deploy/Caddyfile'))).toBe(true);
  });

  it("compose: every app variable is a setting of the server's schema, and the values pass it", () => {
    for (const app of apps) {
      const env = app.environment ?? {};
      for (const name of Object.keys(env))
        expect(ENV_VARS, `${name} is not a server setting`).toContain(name);
      for (const name of ['PUBLIC_URL', 'TRUST_PROXY', 'DATABASE_URL', 'REDIS_URL', 'COOKIE_SECRET'])
        expect(Object.keys(env)).toContain(name);
      const values = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)]));
      const config = loadConfig(values);
      expect(config.PUBLIC_URL).toMatch(/^https:\/\//);
      expect(config.TRUST_PROXY, 'behind Caddy the proxy must be trusted').not.toBe(false);
      // The port the app listens on is the one exposed to Caddy and the one Caddy dials.
      expect(app.expose).toEqual([String(config.PORT)]);
      expect(read('deploy/Caddyfile')).toContain(`app-a:${config.PORT} app-b:${config.PORT}`);
      expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${config.PORT}$`, 'm'));
    }
  });

  it('Dockerfile: multi-stage, runs as a non-root user, has a health check, its settings are in the schema', () => {
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    expect(stages).toEqual(['build', 'runtime']);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*CMD/m);
    expect(runtime).toMatch(/^CMD \["node", "apps\/server\/dist\/main\.js"\]$/m);
    const envBlock = /^ENV ([\s\S]*?)\n(?!\s)/m.exec(runtime)?.[1] ?? '';
    const names = [...envBlock.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names.filter((x) => x !== 'NODE_ENV')) expect(ENV_VARS).toContain(n);
    // Everything the runtime stage copies from the build exists after a build.
    for (const m of runtime.matchAll(/COPY --from=build \S+ \/app\/(\S+)/g))
      expect(
        ['apps/server/dist', 'apps/web/dist'].includes(m[1]!) || existsSync(join(root, m[1]!)),
        m[1],
      ).toBe(true);
  });

  it('Dockerfile: the package.json of every workspace is in place before npm ci', () => {
    const build = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    for (const w of workspaces) expect(build, w).toContain(`COPY ${w}/package.json ${w}/`);
  });

  it('the build context leaves out node_modules, builds and the secrets file', () => {
    const ignore = read('deploy/Dockerfile.dockerignore').split('\n');
    for (const p of ['**/node_modules', '**/dist', '.git', 'deploy/.env']) expect(ignore).toContain(p);
  });

  it('README documents every setting of the schema', () => {
    const readme = read('README.md');
    for (const name of ENV_VARS) expect(readme, `README lacks ${name}`).toContain(`\`${name}\``);
  });

  it.skipIf(spawnSync('caddy', ['version']).status !== 0)('Caddy accepts the Caddyfile', () => {
    const r = spawnSync(
      'caddy',
      ['adapt', '--config', join(root, 'deploy/Caddyfile'), '--adapter', 'caddyfile'],
      {
        env: { ...process.env, SITE_ADDRESS: 'class.school.org' },
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as {
      apps: { http: { servers: Record<string, { listen: string[] }> } };
    };
    expect(Object.values(json.apps.http.servers)[0]!.listen).toEqual([':443']);
    expect(r.stdout).toContain('"dial":"app-b:8000"');
  });
});
