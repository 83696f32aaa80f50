/**
 * For the restart test: the real server as a child process (`node --import tsx apps/server/src/main.ts`)
 * and scripted students that behave like the student page (protocol Outbox, Socket.IO reconnection).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { MESSAGE_EVENT, Outbox, PROTOCOL_VERSION, type ServerToStudentMessage } from '@smartsession/protocol';
import { frame } from './support/telemetry.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A free TCP port (so a restarted server listens where the clients reconnect). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** The server process; `log` keeps its output for failure messages. */
export interface ServerProcess {
  child: ChildProcess;
  log: string[];
  exited: Promise<NodeJS.Signals | number | null>;
}

/** Starts `apps/server/src/main.ts` and resolves once `/healthz` answers 200. */
export async function spawnServer(port: number, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts'],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((r) =>
    child.once('exit', (code, sig) => r(sig ?? code)),
  );
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log.join('')}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { child, log, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${log.join('')}`);
}

/**
 * A scripted student: one telemetry message every `periodMs` of real time whose client time advances
 * by a second each (so the server stores every one as a sample), kept in an Outbox until acknowledged
 * and replayed after every reconnect, as the student page does. With `clockAheadMs` the client clock
 * instead runs at the real rate but that far ahead (a wrongly set clock), and the status alternates at
 * every message (so every one is still stored).
 */
export class ScriptedStudent {
  readonly outbox = new Outbox();
  readonly socket: Socket;
  /** Highest ack received so far, and each welcome's `lastSeq`. */
  acked = 0;
  readonly welcomes: number[] = [];
  private live = false;
  private timer: NodeJS.Timeout | null = null;
  private t0 = Date.now();

  constructor(
    url: string,
    token: string,
    readonly clockAheadMs: number | null = null,
  ) {
    this.socket = io(url, {
      auth: { role: 'student', protocol: PROTOCOL_VERSION, token },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    this.socket.on('disconnect', () => {
      this.live = false;
    });
    this.socket.on(MESSAGE_EVENT, (m: ServerToStudentMessage) => {
      if (m.type === 'ack') {
        this.acked = Math.max(this.acked, m.seq);
        this.outbox.ack(m.seq);
      } else if (m.type === 'welcome') {
        this.welcomes.push(m.lastSeq);
        this.outbox.resume(m.lastSeq);
        for (const b of this.outbox.replay()) this.socket.emit(MESSAGE_EVENT, b);
        this.live = true;
      }
    });
  }

  /** Starts sending. */
  start(periodMs: number): void {
    this.timer = setInterval(() => this.tick(), periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const n = this.outbox.lastSeq + 1;
    const ahead = this.clockAheadMs;
    const t = ahead === null ? this.t0 + n * 1000 : Date.now() + ahead;
    const status = (ahead === null ? n % 7 === 0 : n % 2 === 0) ? 'confused' : 'focused';
    const msg = this.outbox.push({
      type: 'telemetry',
      t,
      status,
      alert: null,
      since: t,
      reason: null,
      frame: frame(status === 'confused' ? 0.8 : 0.2),
    });
    // Like the student page: live sending resumes after the welcome's replay, not at connect.
    if (this.live && this.socket.connected) this.socket.emit(MESSAGE_EVENT, msg);
  }

  /** Resolves once everything sent so far is acknowledged. */
  async drained(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acked < this.outbox.lastSeq) {
      if (Date.now() > deadline)
        throw new Error(`not drained: acked ${this.acked} of ${this.outbox.lastSeq}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): void {
    this.stop();
    this.socket.disconnect();
  }
}
