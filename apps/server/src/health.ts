/**
 * Health of the server's dependencies, kept up to date by probes and by the code that uses them, so that
 * `/readyz` answers at once from memory (never waits on a database that hangs).
 */

/** One dependency's state. */
export interface DependencyState {
  ok: boolean;
  /** Server ms of the last change. */
  since: number;
  /** Why it is down (a short message), or null. */
  error: string | null;
}

/** A check that feeds {@link Health}: e.g. `database.reachable`, `database.writable`, `redis`. */
export type CheckName = string;

/**
 * The set of named checks. A dependency is up when all of its checks are (`database` is up when it is
 * both reachable and writable). Listeners hear every change of the overall state of a dependency.
 */
export class Health {
  private readonly checks = new Map<CheckName, DependencyState>();
  private readonly listeners = new Set<(dependency: string, ok: boolean) => void>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Registers a check as up. */
  add(name: CheckName): void {
    if (!this.checks.has(name)) this.checks.set(name, { ok: true, since: this.clock(), error: null });
  }

  /** Sets a check's state; listeners hear a change of its dependency's overall state. */
  set(name: CheckName, ok: boolean, error?: unknown): void {
    const dep = dependencyOf(name);
    const before = this.dependencyOk(dep);
    const cur = this.checks.get(name);
    const message = ok ? null : errorMessage(error);
    if (cur && cur.ok === ok) {
      if (!ok) cur.error = message;
    } else this.checks.set(name, { ok, since: this.clock(), error: message });
    const after = this.dependencyOk(dep);
    if (before !== after) for (const l of this.listeners) l(dep, after);
  }

  /** Hears changes of a dependency's overall state. */
  onChange(listener: (dependency: string, ok: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True when every check of `dependency` is up (or it has none). */
  dependencyOk(dependency: string): boolean {
    for (const [name, s] of this.checks) if (dependencyOf(name) === dependency && !s.ok) return false;
    return true;
  }

  /** True when every check is up. */
  get ready(): boolean {
    for (const s of this.checks.values()) if (!s.ok) return false;
    return true;
  }

  /** Every check, for `/readyz`. */
  report(): Record<CheckName, DependencyState> {
    return Object.fromEntries([...this.checks].map(([k, v]) => [k, { ...v }]));
  }
}

function dependencyOf(name: CheckName): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 200) || error.name;
  return error === undefined ? 'down' : String(error).slice(0, 200);
}

/**
 * Runs `probe` every `everyMs` and records the result under `name`; a probe that has not settled within
 * `timeoutMs` counts as failed at once (a hung connection), and no second probe starts while one hangs.
 * Returns a stop function.
 */
export function startProbe(
  health: Health,
  name: CheckName,
  probe: () => Promise<unknown>,
  everyMs = 2000,
  timeoutMs = 1500,
): () => void {
  health.add(name);
  let startedAt: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (startedAt !== null) return;
    startedAt = Date.now();
    timer = setTimeout(
      () => health.set(name, false, new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    probe().then(
      () => {
        clearTimeout(timer);
        startedAt = null;
        health.set(name, true);
      },
      (err: unknown) => {
        clearTimeout(timer);
        startedAt = null;
        health.set(name, false, err);
      },
    );
  };
  const interval = setInterval(tick, everyMs);
  interval.unref();
  tick();
  return () => {
    clearInterval(interval);
    clearTimeout(timer);
  };
}
