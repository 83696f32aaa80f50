/**
 * The load generator of `bench:capacity`, run as its own process (pinned to its own core by the
 * orchestrator): N students at `hz` messages a second, each changing status every `statusEveryS`, and
 * one teacher that measures, in this process's clock, how long a status change and a sample take to
 * reach it. Config is the JSON in argv[2]; the result is printed as one `result {...}` line.
 *
 * Modes: `steady` (join, connect, warm up, measure a window, drain) and `joins` (a burst of joins: HTTP
 * join, socket handshake and welcome for every student, as fast as the server takes them).
 */
import { busiestTick, firstStatusChange, p99ByWindow, pct } from './schedule.js';
import { socketIoClient, bareClient, type WireClient } from './wire-client.js';

export interface LoadConfig {
  mode: 'steady' | 'joins';
  kind: 'smartsession' | 'sio-relay' | 'ws-relay';
  url: string;
  students: number;
  hz: number;
  warmupS: number;
  windowS: number;
  statusEveryS: number;
  /** SmartSession: the class to join and the teacher's cookie. */
  joinCode?: string;
  sessionId?: string;
  cookie?: string;
  /** HTTP joins in flight at once. */
  joinConcurrency?: number;
  /** Parts the window is judged in (status p99 of each; default 1). */
  windows?: number;
}

export interface LoadResult {
  mode: LoadConfig['mode'];
  kind: LoadConfig['kind'];
  students: number;
  connected: number;
  /** Messages sent in the measured window, per second. */
  sentPerS: number;
  /** Messages sent since the start that the server never acknowledged (SmartSession) or relayed. */
  missing: number;
  statusP50: number;
  statusP99: number;
  /** Status p99 in each part of the window (`windows`), by when the change was sent. */
  statusP99Windows: number[];
  statusN: number;
  sampleP50: number;
  sampleP99: number;
  sampleN: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** This generator's CPU share of one core during the window (near 1: the generator limits). */
  generatorCpu: number;
  joinSeconds: number;
  /** Of `joinSeconds`, the HTTP joins (the rest: socket handshakes and welcomes). */
  httpJoinSeconds: number;
  joinErrors: number;
  /** The most status changes sent in one 25 ms tick of the window (an even spread: students / 400). */
  statusBurstMax: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const errorKinds: Record<string, number> = {};
const error = (kind: string) => (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);

/** A realistic per-frame JSON (what the student page sends, about 400 bytes). */
function frame(confused: boolean) {
  const score = confused ? 0.71 : 0.22;
  return {
    face_count: 1,
    status: 'OK',
    emotion: null,
    happy_prob: null,
    gaze: 'CENTER',
    confused,
    confusion_score: score,
    head: { yaw: 3.2, pitch: -4.1, roll: 1.4 },
    eyes: 'CENTER',
    signals: { brow: confused ? 0.9 : 0.1, happy: null, tilt: 0.12 },
    contributions: { brow: confused ? 0.62 : 0.07, happy: null, tilt: 0.09 },
    quality: { brightness: 0.46, faceSize: 0.31, confidence: 0.93, unreliable: false },
  };
}

interface Student {
  pid: string;
  token: string;
  client: WireClient | null;
  welcomed: boolean;
  seq: number;
  acked: number;
  status: 'focused' | 'confused';
  since: number;
  nextChange: number;
}

const statusSent = new Map<string, { status: string; t: number }>();
const statusLat: number[] = [];
/** When each change in `statusLat` was sent. */
const statusAt: number[] = [];
const sampleLat: number[] = [];
let measuring = false;
let measureFrom = Infinity;
/** When status changes were sent during the window. */
const changeTimes: number[] = [];
let relayed = 0;

async function postJson(path: string, body: unknown, cookie?: string) {
  const res = await fetch(cfg.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, string> | null };
}

let httpJoinSeconds = 0;

/** Joins (SmartSession: HTTP) `n` students with `concurrency` requests in flight. */
async function joinAll(n: number, concurrency: number): Promise<Student[]> {
  const out: Student[] = new Array<Student>(n);
  let next = 0;
  const now = Date.now();
  const make = (i: number, pid: string, token: string): Student => ({
    pid,
    token,
    client: null,
    welcomed: false,
    seq: 0,
    acked: 0,
    status: 'focused',
    since: now,
    // Set when sending starts (see schedule.ts).
    nextChange: Infinity,
  });
  if (cfg.kind !== 'smartsession') {
    for (let i = 0; i < n; i++) out[i] = make(i, `s${i}`, '');
    return out;
  }
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const r = await postJson('/api/join', { code: cfg.joinCode, name: `Student ${i + 1}` });
        if (r.status !== 201 || !r.body) {
          error(`join ${r.status}`);
          out[i] = make(i, `failed${i}`, '');
          continue;
        }
        out[i] = make(i, r.body.participantId!, r.body.token!);
      }
    }),
  );
  httpJoinSeconds = (Date.now() - t0) / 1000;
  return out;
}

function connectStudent(s: Student, onWelcome: () => void): void {
  const handlers = {
    onOpen: () => {
      if (cfg.kind !== 'smartsession') {
        s.welcomed = true;
        onWelcome();
      }
    },
    onError: (reason: string) => error(`student ${reason.slice(0, 40)}`),
    onMessage: (m: unknown) => {
      const msg = m as { type: string; seq?: number; error?: { code: string } };
      if (msg.type === 'welcome') {
        s.welcomed = true;
        onWelcome();
      } else if (msg.type === 'ack') s.acked = Math.max(s.acked, msg.seq!);
      else if (msg.type === 'error') error(`refused ${msg.error?.code}`);
    },
  };
  if (cfg.kind === 'ws-relay') s.client = bareClient(cfg.url, 'student', handlers);
  else
    s.client = socketIoClient(
      cfg.url,
      cfg.kind === 'smartsession' ? { role: 'student', protocol: 2, token: s.token } : { role: 'student' },
      handlers,
    );
}

function connectTeacher(): Promise<WireClient> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      const now = Date.now();
      const msg = m as {
        type: string;
        student?: { participantId: string; status: string };
        items?: Array<{ participantId: string; ct: number; status: string }>;
        pid?: string;
        status?: string;
        t?: number;
      };
      const seenStatus = (pid: string, status: string) => {
        const sent = statusSent.get(pid);
        if (sent && sent.status === status) {
          statusSent.delete(pid);
          if (measuring && sent.t >= measureFrom) {
            statusLat.push(now - sent.t);
            statusAt.push(sent.t);
          }
        }
      };
      if (msg.type === 'student' && msg.student) seenStatus(msg.student.participantId, msg.student.status);
      else if (msg.type === 'samples' && msg.items) {
        for (const it of msg.items) if (measuring && it.ct >= measureFrom) sampleLat.push(now - it.ct);
      } else if (msg.type === 'telemetry' && msg.pid) {
        // A relay forwards the student's own message.
        relayed++;
        seenStatus(msg.pid, msg.status!);
        if (measuring && msg.t! >= measureFrom) sampleLat.push(now - msg.t!);
      }
    };
    const handlers = {
      onOpen: () => resolve(client),
      onError: (reason: string) => {
        error(`teacher ${reason.slice(0, 40)}`);
        reject(new Error(reason));
      },
      onMessage,
    };
    const client =
      cfg.kind === 'ws-relay'
        ? bareClient(cfg.url, 'teacher', handlers)
        : socketIoClient(
            cfg.url,
            cfg.kind === 'smartsession'
              ? { role: 'teacher', protocol: 2, sessionId: cfg.sessionId }
              : { role: 'teacher' },
            handlers,
            cfg.cookie ? { cookie: cfg.cookie } : {},
          );
  });
}

function sendOne(s: Student, now: number): void {
  if (!s.client?.open || !s.welcomed) return;
  if (now >= s.nextChange) {
    s.status = s.status === 'focused' ? 'confused' : 'focused';
    s.since = now;
    s.nextChange = now + cfg.statusEveryS * 1000;
    statusSent.set(s.pid, { status: s.status, t: now });
    if (measuring) changeTimes.push(now);
  }
  const confused = s.status === 'confused';
  const msg = {
    type: 'telemetry',
    seq: ++s.seq,
    t: now,
    status: s.status,
    alert: null,
    since: s.since,
    reason: confused ? { code: 'BROWS_LOWERED', seconds: Math.floor((now - s.since) / 1000) } : null,
    frame: frame(confused),
    ...(cfg.kind === 'smartsession' ? {} : { pid: s.pid }),
  };
  s.client.send(msg);
}

/** The result fields both modes share. */
function summary(mode: LoadConfig['mode'], connected: number, joinSeconds: number, joinErrors: number) {
  return {
    mode,
    kind: cfg.kind,
    students: cfg.students,
    connected,
    errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
    errorKinds,
    joinSeconds,
    httpJoinSeconds,
    joinErrors,
  };
}

async function steady(): Promise<LoadResult> {
  await connectTeacher();
  const t0 = Date.now();
  const students = await joinAll(cfg.students, cfg.joinConcurrency ?? 64);
  let welcomed = 0;
  await new Promise<void>((resolve) => {
    // Connect in waves so the handshakes do not all land in the same millisecond.
    let i = 0;
    const wave = () => {
      for (let k = 0; k < 100 && i < students.length; k++, i++)
        connectStudent(students[i]!, () => {
          if (++welcomed === students.length) resolve();
        });
      if (i < students.length) setTimeout(wave, 20);
    };
    wave();
    setTimeout(resolve, 60_000);
  });
  const joinSeconds = (Date.now() - t0) / 1000;
  const sendingFrom = Date.now();
  students.forEach(
    (s, i) => (s.nextChange = firstStatusChange(i, sendingFrom, cfg.warmupS, cfg.statusEveryS)),
  );
  // Every student sends every 1000/hz ms, the class spread evenly over ticks of 25 ms.
  const period = 1000 / cfg.hz;
  const slots = Math.max(1, Math.round(period / 25));
  let tick = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    const slot = tick++ % slots;
    for (let i = slot; i < students.length; i += slots) sendOne(students[i]!, now);
  }, period / slots);
  await sleep(cfg.warmupS * 1000);
  const seqBefore = students.reduce((n, s) => n + s.seq, 0);
  const cpu0 = process.cpuUsage();
  const w0 = Date.now();
  measureFrom = w0;
  measuring = true;
  process.stdout.write('window-start\n');
  await sleep(cfg.windowS * 1000);
  process.stdout.write('window-end\n');
  const windowS = (Date.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const seqAfter = students.reduce((n, s) => n + s.seq, 0);
  clearInterval(timer);
  // Drain: what was sent should now be acknowledged (SmartSession) or relayed.
  await sleep(3000);
  measuring = false;
  const sent = students.reduce((n, s) => n + s.seq, 0);
  const missing =
    cfg.kind === 'smartsession'
      ? students.reduce((n, s) => n + (s.seq - s.acked), 0)
      : Math.max(0, sent - relayed);
  for (const s of students) s.client?.close();
  const joinErrors = Object.entries(errorKinds)
    .filter(([k]) => k.startsWith('join'))
    .reduce((a, [, b]) => a + b, 0);
  return {
    ...summary('steady', welcomed, joinSeconds, joinErrors),
    sentPerS: (seqAfter - seqBefore) / windowS,
    missing,
    statusP50: pct(statusLat, 50),
    statusP99: pct(statusLat, 99),
    statusP99Windows: p99ByWindow(statusAt, statusLat, w0, w0 + windowS * 1000, cfg.windows ?? 1),
    statusN: statusLat.length,
    sampleP50: pct(sampleLat, 50),
    sampleP99: pct(sampleLat, 99),
    sampleN: sampleLat.length,
    generatorCpu: (cpu.user + cpu.system) / 1000 / (windowS * 1000),
    statusBurstMax: busiestTick(changeTimes, w0, w0 + windowS * 1000, 25),
  };
}

/** A burst of joins: every student's HTTP join, then its socket handshake and welcome, at once. */
async function joins(): Promise<LoadResult> {
  const t0 = Date.now();
  let welcomed = 0;
  const students = await joinAll(cfg.students, cfg.joinConcurrency ?? 200);
  // Students whose HTTP join failed never connect: wait for the others only.
  const joined = students.filter((s) => s.token);
  await new Promise<void>((resolve) => {
    if (joined.length === 0) resolve();
    for (const s of joined) {
      connectStudent(s, () => {
        if (++welcomed === joined.length) resolve();
      });
    }
    setTimeout(resolve, 120_000);
  });
  const joinSeconds = (Date.now() - t0) / 1000;
  for (const s of students) s.client?.close();
  return {
    ...summary('joins', welcomed, joinSeconds, cfg.students - welcomed),
    sentPerS: 0,
    missing: 0,
    statusP50: NaN,
    statusP99: NaN,
    statusP99Windows: [],
    statusN: 0,
    sampleP50: NaN,
    sampleP99: NaN,
    sampleN: 0,
    generatorCpu: NaN,
    statusBurstMax: 0,
  };
}

const result = cfg.mode === 'joins' ? await joins() : await steady();
process.stdout.write(`result ${JSON.stringify(result)}\n`);
process.exit(0);
