/**
 * Prometheus metrics (`GET /metrics`, text format) of one server instance: live connections, messages in
 * and out, refusals by reason, storage write latency and backlog, acknowledgements pending, HTTP
 * requests, plus Node's defaults (`nodejs_eventloop_lag_*` event-loop delay, memory, CPU, GC). One registry per server, so
 * several servers in one process (tests) never mix their figures.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Where the live figures come from at scrape time (set once the live layer exists). */
export interface LiveSource {
  /** Sockets connected to this instance by role. */
  connections(): { students: number; teachers: number };
  /** Received seqs stored or waiting, not yet acknowledged to their student. */
  ackBacklog(): number;
  /** Analysis on the server (issue 14), when the server has it. */
  analysis?(): {
    analysed: number;
    queued: number;
    intervalMs: number;
    threads: number;
    /** Engines loaded on the threads, by emotion setting. */
    engines: { on: number; off: number };
  };
}

/**
 * Counts per label pair in a plain map, handed to prom-client at scrape time. The message counters are hit
 * for every message in and every ack out (tens of thousands a second at a full instance); prom-client's
 * `inc(labels)` hashes and validates the label object and allocates its answer on each call.
 */
class FastCounts {
  private readonly counts = new Map<string, number>();

  add(a: string, b: string): void {
    const key = `${a}\u0000${b}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Sets `counter` to the totals (its labels named `names`). */
  publish(counter: Counter<string>, names: [string] | [string, string]): void {
    counter.reset();
    for (const [key, n] of this.counts) {
      const [a, b] = key.split('\u0000') as [string, string];
      counter.inc(names.length === 1 ? { [names[0]]: a } : { [names[0]]: a, [names[1]]: b }, n);
    }
  }
}

const WRITE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  readonly registry = new Registry();
  private live: LiveSource | null = null;
  private backlogRows = 0;

  private readonly inCounts = new FastCounts();
  private readonly outCounts = new FastCounts();
  private readonly messagesIn: Counter<string> = new Counter({
    name: 'smartsession_messages_in_total',
    help: 'Socket messages received from students, by type (before validation: `invalid` when unreadable)',
    labelNames: ['type'],
    registers: [this.registry],
    collect: () => this.inCounts.publish(this.messagesIn, ['type']),
  });
  private readonly messagesOut: Counter<string> = new Counter({
    name: 'smartsession_messages_out_total',
    help: 'Socket messages sent, by recipient (student, teachers: one per room emit) and type',
    labelNames: ['to', 'type'],
    registers: [this.registry],
    collect: () => this.outCounts.publish(this.messagesOut, ['to', 'type']),
  });
  private readonly refusals = new Counter({
    name: 'smartsession_refusals_total',
    help: 'Refused messages, handshakes and requests, by reason (error code)',
    labelNames: ['where', 'reason'],
    registers: [this.registry],
  });
  private readonly writeSeconds = new Histogram({
    name: 'smartsession_write_seconds',
    help: 'Time to commit one batch of telemetry writes',
    buckets: WRITE_BUCKETS,
    registers: [this.registry],
  });
  private readonly writeRows = new Counter({
    name: 'smartsession_write_rows_total',
    help: 'Rows committed (samples, status changes, alerts, participant rows)',
    registers: [this.registry],
  });
  private readonly writeFailures = new Counter({
    name: 'smartsession_write_failures_total',
    help: 'Batch commits that failed (their writes are retried)',
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({
    name: 'smartsession_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    /** A gauge read from the live figures when /metrics is scraped. */
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge(
      'smartsession_connected_students',
      'Student sockets connected to this instance',
      () => this.live?.connections().students ?? 0,
    );
    gauge(
      'smartsession_connected_teachers',
      'Teacher sockets connected to this instance',
      () => this.live?.connections().teachers ?? 0,
    );
    gauge(
      'smartsession_acks_pending',
      'Received telemetry seqs not yet acknowledged to their student (stored at the next flush)',
      () => this.live?.ackBacklog() ?? 0,
    );
    const analysis = () => this.live?.analysis?.();
    gauge(
      'smartsession_analysis_frames',
      'Frames analysed on this server since it started (analysis on the server)',
      () => analysis()?.analysed ?? 0,
    );
    gauge(
      'smartsession_analysis_queue',
      'Frames waiting for an analysis thread',
      () => analysis()?.queued ?? 0,
    );
    gauge(
      'smartsession_analysis_interval_ms',
      'Frame interval the server asks every student it analyses to keep, ms',
      () => analysis()?.intervalMs ?? 0,
    );
    gauge('smartsession_analysis_threads', 'Analysis threads started', () => analysis()?.threads ?? 0);
    new Gauge({
      name: 'smartsession_analysis_engines',
      help: 'Analysis engines loaded on the threads, by emotion setting (off: no emotion model)',
      labelNames: ['emotion'],
      registers: [this.registry],
      collect() {
        const e = analysis()?.engines ?? { on: 0, off: 0 };
        this.set({ emotion: 'on' }, e.on);
        this.set({ emotion: 'off' }, e.off);
      },
    });
    gauge(
      'smartsession_write_backlog_rows',
      'Rows taken for the commit in progress or put back for a retry (0 when idle)',
      () => this.backlogRows,
    );
  }

  /** Connects the live figures (connections, acks pending). */
  setLiveSource(source: LiveSource): void {
    this.live = source;
  }

  /** A socket message arrived from a student. */
  messageIn(type: unknown): void {
    this.inCounts.add(typeof type === 'string' && type.length <= 20 ? type : 'invalid', '');
  }

  /** A socket message was sent to a student or to a session's teachers. */
  messageOut(to: 'student' | 'teachers', type: string): void {
    this.outCounts.add(to, type);
  }

  /** Something was refused: `where` is `socket`, `handshake` or `http`; `reason` its error code. */
  refused(where: 'socket' | 'handshake' | 'http' | 'analysis', reason: string): void {
    this.refusals.inc({ where, reason });
  }

  /** A batch commit starts with `rows` rows; call the returned function with its outcome. */
  writeStarted(rows: number): (ok: boolean) => void {
    this.backlogRows = rows;
    const end = this.writeSeconds.startTimer();
    return (ok) => {
      end();
      if (ok) {
        this.writeRows.inc(rows);
        this.backlogRows = 0;
      } else this.writeFailures.inc();
    };
  }

  /** An HTTP request was answered. */
  httpRequest(method: string, route: string, status: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
  }

  /** The text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.registry.clear();
  }
}
