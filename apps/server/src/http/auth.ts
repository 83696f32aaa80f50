import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LoginBody, SignupBody, type Teacher } from '@smartsession/protocol';
import { hashPassword, hashToken, newToken, verifyPassword } from '../auth/crypto.js';
import type { Repository, TeacherRow } from '../db/repository.js';
import { ApiError, parse } from './errors.js';

/** Name of the signed, httpOnly cookie that holds a teacher's sign-in token. */
export const SESSION_COOKIE = 'ss_session';
/** Sign-ins last 30 days. */
const SIGN_IN_MS = 30 * 24 * 3600 * 1000;

const teacherView = (t: TeacherRow): Teacher => ({ id: t.id, email: t.email, name: t.name });

/** The teacher signed in by the (unsigned) cookie token, or null. */
export async function teacherFromToken(
  repo: Repository,
  token: string | null | undefined,
): Promise<TeacherRow | null> {
  if (!token) return null;
  return repo.findAuthSessionTeacher(hashToken(token), Date.now());
}

/** Reads and verifies the signed cookie of a request. */
export function cookieToken(request: FastifyRequest): string | null {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const r = request.unsignCookie(raw);
  return r.valid ? r.value : null;
}

/** The signed-in teacher, or 401 `UNAUTHORIZED`. */
export async function requireTeacher(repo: Repository, request: FastifyRequest): Promise<TeacherRow> {
  const teacher = await teacherFromToken(repo, cookieToken(request));
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
 * `/api/auth/*` and `/api/me`. `signedOut` hears the id of an auth session ended by logout (its live
 * connections are closed).
 */
export function authRoutes(
  app: FastifyInstance,
  repo: Repository,
  signedOut: (authSessionId: string) => void = () => {},
): void {
  app.post('/api/auth/signup', async (request, reply) => {
    const body = parse(SignupBody, request.body);
    const teacher: TeacherRow = {
      id: randomUUID(),
      email: body.email.toLowerCase(),
      name: body.name,
      passwordHash: await hashPassword(body.password),
      createdAt: Date.now(),
    };
    if (!(await repo.createTeacher(teacher)))
      throw new ApiError(409, 'CONFLICT', 'An account with this e-mail exists');
    await signIn(repo, reply, teacher, request.protocol === 'https');
    return reply.code(201).send(teacherView(teacher));
  });

  app.post('/api/auth/login', async (request, reply) => {
    const body = parse(LoginBody, request.body);
    const teacher = await repo.findTeacherByEmail(body.email.trim().toLowerCase());
    const ok = teacher ? await verifyPassword(body.password, teacher.passwordHash) : false;
    if (!teacher || !ok) throw new ApiError(401, 'UNAUTHORIZED', 'Wrong e-mail or password');
    await signIn(repo, reply, teacher, request.protocol === 'https');
    return teacherView(teacher);
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const token = cookieToken(request);
    if (token) {
      await repo.deleteAuthSession(hashToken(token));
      signedOut(hashToken(token));
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', async (request) => teacherView(await requireTeacher(repo, request)));
}
