/**
 * `smartsession simulate`: N synthetic students join a class and send realistic telemetry through the
 * same outbox as the student page. {@link simulateClass} is the reusable core (demo, benchmarks).
 */
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import {
  JoinResponse,
  MESSAGE_EVENT,
  StudentProtocolClient,
  PROTOCOL_VERSION,
  type ServerToStudentMessage,
} from '@smartsession/protocol';
import { studentTimelineOptions } from '@smartsession/engine';
import { SimulatedStudent } from './simulate-model.js';

/** Options of {@link simulateClass}. */
export interface SimulateOptions {
  /** Server base URL, e.g. `http://localhost:8000`. */
  url: string;
  /** Join code (any case, with or without the dash). */
  code: string;
  /** Number of students. */
  students: number;
  /** Samples per second per student (default 4). */
  rateHz?: number;
  /** First name index and seed offset (default 0). */
  seed?: number;
  /** Milliseconds over which the students join (default: 20 ms apart). */
  joinSpreadMs?: number;
  /** Called on every refusal the server sends. */
  onError?: (name: string, code: string, message: string) => void;
}

/** Counters of a running simulation. */
export interface SimulateStats {
  joined: number;
  connected: number;
  sent: number;
  acked: number;
  errors: number;
}

/** A running simulated class. */
export interface SimulatedClass {
  stats: SimulateStats;
  /** Disconnects every student. */
  stop(): Promise<void>;
}

const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dev',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kofi',
  'Lena',
];
const LAST = [
  'Moreau',
  'Okafor',
  'Nguyen',
  'Schmidt',
  'Rossi',
  'Silva',
  'Kowalski',
  'Haddad',
  'Tanaka',
  'Berg',
];

/** A plausible display name for student `i`. */
export function studentName(i: number): string {
  return `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? ` ${i}` : ''}`;
}

async function join(url: string, code: string, name: string): Promise<JoinResponse> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(new URL('/api/join', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, name }),
      });
    } catch (err) {
      // A busy server: try again a few times before giving up.
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
      continue;
    }
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`join failed (${res.status}): ${JSON.stringify(body)}`);
    return JoinResponse.parse(body);
  }
}

/** Joins `students` synthetic students to a class and keeps them sending until `stop()`. */
export async function simulateClass(options: SimulateOptions): Promise<SimulatedClass> {
  const rate = options.rateHz ?? 4;
  const periodMs = 1000 / rate;
  const stats: SimulateStats = { joined: 0, connected: 0, sent: 0, acked: 0, errors: 0 };
  const sockets: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const spread = options.joinSpreadMs ?? options.students * 20;

  async function startOne(i: number): Promise<void> {
    const name = studentName((options.seed ?? 0) + i);
    const joined = await join(options.url, options.code, name);
    stats.joined++;
    const model = new SimulatedStudent(
      {
        seed: (options.seed ?? 0) * 100_003 + i + 1,
        emotion: joined.settings.emotion === 'on',
        lookAwaySeconds: studentTimelineOptions(joined.settings, {}).lookAwaySeconds,
      },
      Date.now(),
    );
    const client = new StudentProtocolClient(
      (payload) => {
        socket.emit(MESSAGE_EVENT, payload);
        stats.sent++;
      },
      (e) => {
        if (e.type === 'welcome' || e.type === 'settings') {
          const m = e.type === 'welcome' ? e.welcome : e.settings;
          model.emotion = m.settings.emotion === 'on';
          model.lookAwaySeconds = studentTimelineOptions(m.settings, m.accommodations).lookAwaySeconds;
        } else if (e.type === 'refused') {
          stats.errors++;
          options.onError?.(name, e.error.code, e.error.message);
        } else if (e.type === 'ended') socket.disconnect();
      },
    );
    const socket = io(options.url, {
      auth: { role: 'student', protocol: PROTOCOL_VERSION, token: joined.token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    sockets.push(socket);
    socket.on('connect', () => {
      stats.connected++;
      client.connected();
    });
    socket.on('disconnect', () => {
      stats.connected--;
      client.disconnected();
    });
    socket.on(MESSAGE_EVENT, (msg: ServerToStudentMessage) => {
      const before = client.outbox.lastAcked;
      if (msg.type === 'error' && (msg.error.code === 'RATE_LIMITED' || msg.error.code === 'UNAVAILABLE')) {
        stats.errors++;
        options.onError?.(name, msg.error.code, msg.error.message);
      }
      client.receive(msg, Date.now());
      stats.acked += client.outbox.lastAcked - before;
    });
    let last = Date.now();
    const tick = () => {
      const now = Date.now();
      client.tick(now);
      for (const m of model.step(now, (now - last) / 1000)) client.push(m);
      last = now;
    };
    const phase = setTimeout(() => {
      if (!stopped) timers.push(setInterval(tick, periodMs));
    }, Math.random() * periodMs);
    timers.push(phase);
  }

  const starts: Promise<void>[] = [];
  for (let i = 0; i < options.students; i++) {
    starts.push(
      new Promise<void>((resolve) => setTimeout(resolve, (spread * i) / Math.max(1, options.students))).then(
        () => (stopped ? undefined : startOne(i)),
      ),
    );
  }
  await Promise.all(starts);
  return {
    stats,
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.disconnect();
    },
  };
}

const HELP = `Usage: smartsession simulate --url URL --code CODE --students N [--duration SECONDS] [--rate HZ]

Joins N synthetic students to the class with join code CODE on the server at URL. They send realistic
telemetry (mostly focused, bouts of confusion, looking away, leaving the frame, occasional "I'm lost").
  --url        server base URL (default http://localhost:8000)
  --code       the class's join code (required)
  --students   number of students (default 10)
  --duration   seconds to run (default: until Ctrl-C)
  --rate       samples per second per student (default 4)
`;

/** CLI entry: resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string', default: 'http://localhost:8000' },
        code: { type: 'string' },
        students: { type: 'string', default: '10' },
        duration: { type: 'string' },
        rate: { type: 'string', default: '4' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`smartsession simulate: ${(err as Error).message}\n\n${HELP}`);
    return 1;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const students = Number(values.students);
  const rate = Number(values.rate);
  const duration = values.duration === undefined ? null : Number(values.duration);
  if (
    !values.code ||
    !Number.isInteger(students) ||
    students < 1 ||
    !(rate > 0 && rate <= 20) ||
    (duration !== null && !(duration > 0))
  ) {
    process.stderr.write(
      `smartsession simulate: need --code, --students ≥ 1, 0 < --rate ≤ 20, --duration > 0\n\n${HELP}`,
    );
    return 1;
  }
  let sim: SimulatedClass;
  try {
    sim = await simulateClass({
      url: values.url,
      code: values.code,
      students,
      rateHz: rate,
      onError: (name, code, message) => process.stderr.write(`${name}: ${code} ${message}\n`),
    });
  } catch (err) {
    process.stderr.write(`smartsession simulate: ${(err as Error).message}\n`);
    return 1;
  }
  process.stderr.write(
    `${students} students joined ${values.code} at ${values.url}; sending at ${rate} Hz\n`,
  );
  const report = setInterval(() => {
    const s = sim.stats;
    process.stderr.write(
      `connected ${s.connected}/${s.joined}  sent ${s.sent}  acked ${s.acked}  errors ${s.errors}\n`,
    );
  }, 5000);
  await new Promise<void>((resolve) => {
    if (duration !== null) setTimeout(resolve, duration * 1000);
    process.once('SIGINT', () => resolve());
  });
  clearInterval(report);
  await sim.stop();
  return 0;
}
