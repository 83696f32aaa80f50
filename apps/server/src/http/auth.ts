import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginBody, OkResponse, SignupBody, Teacher } from '@smartsession/protocol';
import { hashPassword, hashToken, newToken, verifyPassword } from '../auth/crypto.js';
import { SESSION_COOKIE, cookieToken, teacherFromToken } from '../auth/teachers.js';
import type { Repository, TeacherRow } from '../db/repository.js';
import type { ServerContext } from '../context.js';
import { ApiError } from './errors.js';
import { checkPassword } from './passwords.js';
import { type Api, responses } from './typed.js';

/** Sign-ins last 30 days. */
const SIGN_IN_MS = 30 * 24 * 3600 * 1000;

const teacherView = (t: TeacherRow): Teacher => ({ id: t.id, email: t.email, name: t.name });

/** Reads and verifies the signed cookie of a request. */
const requestToken = (request: FastifyRequest): string | null =>
  cookieToken(request.cookies, (raw) => request.unsignCookie(raw));

/** The signed-in teacher, or 401 `UNAUTHORIZED`. */
export async function requireTeacher(repo: Repository, request: FastifyRequest): Promise<TeacherRow> {
  const teacher = await teacherFromToken(repo, requestToken(request));
  if (!teacher) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first');
  return teacher;
}

async function signIn(repo: Repository, reply: FastifyReply, teacher: TeacherRow, secure: boolean) {
  const token = newToken();
  const now = Date.now();
  await repo.createAuthSession({
    id: hashToken(token),
    teacherId: teacher.id,
    createdAt: now,
    expiresAt: now + SIGN_IN_MS,
  });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    signed: true,
    maxAge: SIGN_IN_MS / 1000,
  });
}

/**
 * A hash of a password nobody has, checked when the e-mail is unknown: a sign-in then takes as long as
 * with a known e-mail and a wrong password (no timing difference tells which e-mails have accounts).
 */
let decoyHash: Promise<string> | null = null;
const decoy = () => (decoyHash ??= hashPassword(newToken()));

/**
 * `/api/auth/*` and `/api/me`. Sign-in: unknown e-mail and wrong password get the same 401, the same
 * message and the same scrypt work; failures are limited per client address and per account (429 with
 * backoff, see limits.ts). Sign-up: every attempt counts against the client address; the password rule
 * (passwords.ts) applies; a taken e-mail costs the same time as a new one.
 */
export function authRoutes(app: Api, ctx: ServerContext): void {
  const { repo, limiter, audit } = ctx;

  app.post(
    '/api/auth/signup',
    {
      schema: { body: SignupBody, response: responses({ 201: Teacher }) },
      // Every attempt counts, a malformed one too: checked and recorded before the body is.
      preValidation: async (request) => {
        await limiter.check('signup', [request.ip]);
        await limiter.record('signup', [request.ip]);
      },
    },
    async (request, reply) => {
      const body = request.body;
      const email = body.email.trim().toLowerCase();
      checkPassword(body.password, { email, name: body.name });
      const teacher: TeacherRow = {
        id: randomUUID(),
        email,
        name: body.name,
        passwordHash: await hashPassword(body.password),
        createdAt: Date.now(),
      };
      if (!(await repo.createTeacher(teacher)))
        throw new ApiError(409, 'CONFLICT', 'An account with this e-mail exists; sign in instead');
      await audit.record(request, teacher.id, 'auth.signup');
      await signIn(repo, reply, teacher, ctx.secureCookies(request.protocol));
      return reply.code(201).send(teacherView(teacher));
    },
  );

  app.post(
    '/api/auth/login',
    { schema: { body: LoginBody, response: responses({ 200: Teacher }) } },
    async (request, reply) => {
      const body = request.body;
      const email = body.email.trim().toLowerCase();
      await limiter.check('loginIp', [request.ip]);
      await limiter.check('loginAccount', [email]);
      const teacher = await repo.findTeacherByEmail(email);
      const ok = await verifyPassword(body.password, teacher?.passwordHash ?? (await decoy()));
      if (!teacher || !ok) {
        await limiter.record('loginIp', [request.ip]);
        await limiter.record('loginAccount', [email]);
        // Written in the background: awaiting it would make known e-mails measurably slower.
        if (teacher)
          audit
            .record(request, teacher.id, 'auth.login_failed')
            .catch((err: unknown) => request.log.warn({ err }, 'audit entry not written'));
        throw new ApiError(401, 'UNAUTHORIZED', 'Wrong e-mail or password');
      }
      await limiter.reset('loginAccount', email);
      await audit.record(request, teacher.id, 'auth.login', {
        details: { userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200) },
      });
      await signIn(repo, reply, teacher, ctx.secureCookies(request.protocol));
      return teacherView(teacher);
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { response: responses({ 200: OkResponse }) } },
    async (request, reply) => {
      const token = requestToken(request);
      if (token) {
        const teacher = await teacherFromToken(repo, token);
        await repo.deleteAuthSession(hashToken(token));
        ctx.hub.signedOut(hashToken(token));
        if (teacher) await audit.record(request, teacher.id, 'auth.logout');
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get('/api/me', { schema: { response: responses({ 200: Teacher }) } }, async (request) =>
    teacherView(await requireTeacher(repo, request)),
  );
}
